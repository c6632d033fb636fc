#include "analyzer/loader/load_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cstring>
#include <fstream>
#include <sstream>

#include <yaml-cpp/yaml.h>

#include "analyzer/loader/iac.hpp"
#include "analyzer/loader/readers.hpp"
#include "model/input_error.hpp"

namespace vpcgate::loader {

using detail::Node;

// ---------------------------------------------------------------- recognition

FileKind recognise(const Node& root) {
  if (!root.is_object()) return FileKind::Unrecognised;
  simdjson::dom::object obj = root.raw().get_object().value_unsafe();
  auto has = [&](std::string_view key) {
    for (auto field : obj) {
      if (field.key == key) return true;
    }
    return false;
  };
  auto member = [&](std::string_view key) -> std::optional<simdjson::dom::element> {
    for (auto field : obj) {
      if (field.key == key) return field.value;
    }
    return std::nullopt;
  };
  // The SageMaker describe-* outputs first: a notebook has a top-level SecurityGroups (a list of
  // IDs), a processing job may carry the TrainingJobArn that started it.
  if (has("NotebookInstanceArn")) return FileKind::NotebookInstance;
  if (has("ProcessingJobArn")) return FileKind::ProcessingJob;
  if (has("TrainingJobArn")) return FileKind::TrainingJob;
  if (has("ModelArn")) return FileKind::Model;
  if (has("DomainArn")) return FileKind::Domain;
  if (has("UserDetailList") || has("GroupDetailList") || has("RoleDetailList")) {
    return FileKind::IamAuthorizationDetails;
  }
  // `Policies` alone is also what `aws iam list-policies` prints: only items with a
  // PolicyVersionList make it authorization details.
  if (auto policies = member("Policies")) {
    simdjson::dom::array arr;
    if (policies->get_array().get(arr) == simdjson::SUCCESS) {
      for (auto item : arr) {
        simdjson::dom::object o;
        if (item.get_object().get(o) == simdjson::SUCCESS && o["PolicyVersionList"].error() == simdjson::SUCCESS) {
          return FileKind::IamAuthorizationDetails;
        }
      }
    }
  }
  // `Policy` with `Content`: organizations describe-policy (whatever its type; the reader skips
  // the types that are not SCPs). `iam get-policy` (no Content) and `s3api get-bucket-policy`
  // (Policy is a string) fall through.
  if (auto policy = member("Policy")) {
    simdjson::dom::object o;
    if (policy->get_object().get(o) == simdjson::SUCCESS && o["Content"].error() == simdjson::SUCCESS) {
      return FileKind::OrganizationsPolicy;
    }
  }
  static const std::pair<std::string_view, FileKind> ec2[] = {
      {"Vpcs", FileKind::Vpcs},
      {"Subnets", FileKind::Subnets},
      {"RouteTables", FileKind::RouteTables},
      {"InternetGateways", FileKind::InternetGateways},
      {"NatGateways", FileKind::NatGateways},
      {"EgressOnlyInternetGateways", FileKind::EgressOnlyInternetGateways},
      {"SecurityGroups", FileKind::SecurityGroups},
      {"NetworkAcls", FileKind::NetworkAcls},
      {"VpcEndpoints", FileKind::VpcEndpoints},
  };
  for (const auto& [key, kind] : ec2) {
    if (has(key)) return kind;
  }
  if (has("AWSTemplateFormatVersion") || has("Resources")) return FileKind::CloudFormationTemplate;
  if (has("format_version") && (has("planned_values") || has("resource_changes"))) return FileKind::TerraformPlan;
  return FileKind::Unrecognised;
}

const char* file_kind_name(FileKind kind) {
  switch (kind) {
    case FileKind::Unrecognised: return "unrecognised";
    case FileKind::NotebookInstance: return "aws sagemaker describe-notebook-instance";
    case FileKind::ProcessingJob: return "aws sagemaker describe-processing-job";
    case FileKind::TrainingJob: return "aws sagemaker describe-training-job";
    case FileKind::Model: return "aws sagemaker describe-model";
    case FileKind::Domain: return "aws sagemaker describe-domain";
    case FileKind::IamAuthorizationDetails: return "aws iam get-account-authorization-details";
    case FileKind::OrganizationsPolicy: return "aws organizations describe-policy";
    case FileKind::Vpcs: return "aws ec2 describe-vpcs";
    case FileKind::Subnets: return "aws ec2 describe-subnets";
    case FileKind::RouteTables: return "aws ec2 describe-route-tables";
    case FileKind::InternetGateways: return "aws ec2 describe-internet-gateways";
    case FileKind::NatGateways: return "aws ec2 describe-nat-gateways";
    case FileKind::EgressOnlyInternetGateways: return "aws ec2 describe-egress-only-internet-gateways";
    case FileKind::SecurityGroups: return "aws ec2 describe-security-groups";
    case FileKind::NetworkAcls: return "aws ec2 describe-network-acls";
    case FileKind::VpcEndpoints: return "aws ec2 describe-vpc-endpoints";
    case FileKind::CloudFormationTemplate: return "CloudFormation template";
    case FileKind::TerraformPlan: return "Terraform plan";
  }
  return "unknown";
}

// ---------------------------------------------------------------- text -> DOM

namespace {

// The whole file, read with read(2) into a string sized from fstat(2) and left with
// simdjson's padding as spare capacity, so that the parser does not copy it again.
std::string read_bytes(const std::string& path, const std::string& display_path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw model::InputError(display_path, "", std::string("cannot read: ") + std::strerror(errno));
  struct stat st {};
  std::size_t expected = 0;
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) expected = static_cast<std::size_t>(st.st_size);
  std::string out;
  out.resize(expected + simdjson::SIMDJSON_PADDING + 1);
  std::size_t len = 0;
  while (true) {
    if (len == out.size()) out.resize(out.size() * 2);  // the file grew, or is not a regular one
    ssize_t n = ::read(fd, out.data() + len, out.size() - len);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      throw model::InputError(display_path, "", "cannot read");
    }
    if (n == 0) break;
    len += static_cast<std::size_t>(n);
  }
  ::close(fd);
  out.resize(len);
  if (out.capacity() < len + simdjson::SIMDJSON_PADDING) out.reserve(len + simdjson::SIMDJSON_PADDING);
  return out;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// Windows PowerShell 5 writes `aws ... > file.json` as UTF-16 with a byte order mark: accept
// it, and a UTF-8 byte order mark, and hand the parsers UTF-8.
std::string to_utf8(std::string text, const std::string& display_path) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  if (text.size() >= 3 && byte(0) == 0xEF && byte(1) == 0xBB && byte(2) == 0xBF) return text.substr(3);
  if (text.size() < 2) return text;
  bool le = byte(0) == 0xFF && byte(1) == 0xFE;
  bool be = byte(0) == 0xFE && byte(1) == 0xFF;
  if (!le && !be) return text;
  if (text.size() % 2 != 0) throw model::InputError(display_path, "", "invalid UTF-16: odd number of bytes");
  std::string out;
  out.reserve(text.size() / 2);
  auto unit = [&](std::size_t i) -> std::uint32_t {
    return le ? (byte(i) | (byte(i + 1) << 8)) : ((byte(i) << 8) | byte(i + 1));
  };
  for (std::size_t i = 2; i < text.size(); i += 2) {
    std::uint32_t u = unit(i);
    if (u >= 0xD800 && u <= 0xDBFF && i + 3 < text.size()) {
      std::uint32_t low = unit(i + 2);
      if (low >= 0xDC00 && low <= 0xDFFF) {
        append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (low - 0xDC00));
        i += 2;
        continue;
      }
    }
    if (u >= 0xD800 && u <= 0xDFFF) throw model::InputError(display_path, "", "invalid UTF-16: unpaired surrogate");
    append_utf8(out, u);
  }
  return out;
}

// YAML (plain scalars typed by the YAML 1.2 core schema) -> JSON text. Tags such as
// CloudFormation's !Ref are dropped: only the structure matters for recognition.
std::optional<std::string> invalid_utf8_at(std::string_view t);

// yaml-cpp decodes escapes (and sniffs UTF-16/32 from NUL bytes) into strings that need not be
// valid UTF-8; such a string, and a key given twice, is an error at its own place.
const std::string& checked_utf8(const YAML::Node& node, const std::string& s) {
  if (invalid_utf8_at(s)) throw YAML::Exception(node.Mark(), "a string that is not valid UTF-8");
  return s;
}

void yaml_to_json(const YAML::Node& node, nlohmann::json& out) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      out = nlohmann::json::object();
      for (const auto& kv : node) {
        nlohmann::json value;
        yaml_to_json(kv.second, value);
        std::string key = checked_utf8(kv.first, kv.first.as<std::string>());
        if (out.contains(key)) throw YAML::Exception(kv.first.Mark(), "duplicate member \"" + key + "\"");
        out[key] = std::move(value);
      }
      return;
    case YAML::NodeType::Sequence:
      out = nlohmann::json::array();
      for (const auto& item : node) {
        nlohmann::json value;
        yaml_to_json(item, value);
        out.push_back(std::move(value));
      }
      return;
    case YAML::NodeType::Scalar: {
      const std::string& s = checked_utf8(node, node.Scalar());
      if (node.Tag() == "?") {  // plain (unquoted) scalar
        if (s == "null" || s == "Null" || s == "NULL" || s == "~" || s.empty()) {
          out = nullptr;
          return;
        }
        if (s == "true" || s == "True" || s == "TRUE") {
          out = true;
          return;
        }
        if (s == "false" || s == "False" || s == "FALSE") {
          out = false;
          return;
        }
        auto number = nlohmann::json::parse(s, nullptr, /*allow_exceptions=*/false);
        if (number.is_number()) {
          out = std::move(number);
          return;
        }
      }
      out = s;
      return;
    }
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined:
      out = nullptr;
      return;
  }
}

thread_local simdjson::dom::parser tl_parser;

// `original` is the file's own text (the YAML, where `text` is its JSON rendering).
FileLoad load_json_text(const std::string& text, const std::string& display_path, const std::string& original,
                        bool from_yaml) {
  FileLoad out;
  simdjson::dom::element root_element;
  auto error = tl_parser.parse(text).get(root_element);
  if (error) {
    // simdjson gives no position: let nlohmann find the line and column (and throw).
    if (!from_yaml) (void)model::parse_json_text(text, display_path);
    // What nlohmann accepts and simdjson does not: integers beyond 64 bits.
    if (auto at = model::json_number_out_of_range_at(text); at && !from_yaml) {
      throw model::InputError(display_path, *at, "invalid JSON: number out of range");
    }
    throw model::InputError(display_path, "", std::string("invalid JSON: ") + simdjson::error_message(error));
  }
  Node root(root_element, "", display_path);
  out.kind = recognise(root);
  switch (out.kind) {
    case FileKind::Unrecognised:
      out.skipped = true;
      break;
    case FileKind::NotebookInstance:
    case FileKind::ProcessingJob:
    case FileKind::TrainingJob:
    case FileKind::Model:
    case FileKind::Domain:
      detail::read_sagemaker(out.kind, root, out);
      break;
    case FileKind::IamAuthorizationDetails:
      detail::read_iam(root, out);
      break;
    case FileKind::OrganizationsPolicy:
      out.skipped = !detail::read_organizations_policy(root, out);
      break;
    case FileKind::Vpcs:
    case FileKind::Subnets:
    case FileKind::RouteTables:
    case FileKind::InternetGateways:
    case FileKind::NatGateways:
    case FileKind::EgressOnlyInternetGateways:
    case FileKind::SecurityGroups:
    case FileKind::NetworkAcls:
    case FileKind::VpcEndpoints:
      detail::read_ec2(out.kind, root, out);
      break;
    case FileKind::CloudFormationTemplate:
      out.iac = read_cloudformation(original, from_yaml, display_path);
      break;
    case FileKind::TerraformPlan:
      out.iac = read_terraform_plan(from_yaml ? text : original, display_path);
      break;
  }
  (out.skipped ? out.account.skipped : out.account.files).push_back(display_path);
  return out;
}

bool has_suffix(const std::string& s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (std::size_t i = 0; i < suffix.size(); ++i) {
    char c = s[s.size() - suffix.size() + i];
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (c != suffix[i]) return false;
  }
  return true;
}

// "line L, column C" of the first byte that is not part of well-formed UTF-8 (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF), if any.
std::optional<std::string> invalid_utf8_at(std::string_view t) {
  auto cont = [&](std::size_t i) { return i < t.size() && (static_cast<unsigned char>(t[i]) & 0xC0) == 0x80; };
  std::size_t line = 1, line_start = 0;
  for (std::size_t i = 0; i < t.size();) {
    auto c = static_cast<unsigned char>(t[i]);
    std::size_t n = 0;
    bool ok = true;
    if (c < 0x80) {
      n = 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
      n = 2;
      ok = cont(i + 1);
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 3;
      auto d = i + 1 < t.size() ? static_cast<unsigned char>(t[i + 1]) : 0;
      ok = cont(i + 1) && cont(i + 2) && !(c == 0xE0 && d < 0xA0) && !(c == 0xED && d >= 0xA0);
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 4;
      auto d = i + 1 < t.size() ? static_cast<unsigned char>(t[i + 1]) : 0;
      ok = cont(i + 1) && cont(i + 2) && cont(i + 3) && !(c == 0xF0 && d < 0x90) && !(c == 0xF4 && d >= 0x90);
    } else {
      ok = false;
    }
    if (!ok) return "line " + std::to_string(line) + ", column " + std::to_string(i - line_start + 1);
    if (c == '\n') {
      ++line;
      line_start = i + 1;
    }
    i += n;
  }
  return std::nullopt;
}

FileLoad load_any(std::string text, const std::string& display_path, const std::string& /*path*/, bool yaml) {
  text = to_utf8(std::move(text), display_path);
  if (!yaml) return load_json_text(text, display_path, text, false);
  // yaml-cpp does not check the encoding (and its JSON rendering would fail without a place).
  if (auto bad = invalid_utf8_at(text)) throw model::InputError(display_path, *bad, "invalid UTF-8");
  YAML::Node doc;
  try {
    doc = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw model::InputError(display_path,
                            "line " + std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1),
                            "invalid YAML: " + e.msg);
  } catch (const YAML::Exception& e) {
    throw model::InputError(display_path, "", std::string("invalid YAML: ") + e.what());
  }
  nlohmann::json json;
  try {
    yaml_to_json(doc, json);
  } catch (const YAML::Exception& e) {
    // e.g. a mapping key that is itself a mapping
    throw model::InputError(display_path,
                            "line " + std::to_string(e.mark.line + 1) + ", column " + std::to_string(e.mark.column + 1),
                            std::string("unsupported YAML: ") + e.msg);
  }
  return load_json_text(json.dump(), display_path, text, true);
}

}  // namespace

FileLoad load_text(std::string text, const std::string& display_path, bool yaml) {
  return load_any(std::move(text), display_path, display_path, yaml);
}

FileLoad load_file(const std::string& path, const std::string& display_path) {
  std::string text = read_bytes(path, display_path);
  bool yaml = false;
  if (has_suffix(path, ".yaml") || has_suffix(path, ".yml")) {
    yaml = true;
  } else if (!has_suffix(path, ".json")) {
    // *.template and files named on the command line: JSON when they look like it.
    std::string_view t = text;
    std::size_t i = 0;
    if (t.substr(0, 3) == "\xEF\xBB\xBF") i = 3;
    while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) ++i;
    bool utf16 = t.size() >= 2 && (t.substr(0, 2) == "\xFF\xFE" || t.substr(0, 2) == "\xFE\xFF");
    yaml = !utf16 && !(i < t.size() && (t[i] == '{' || t[i] == '['));
  }
  return load_any(std::move(text), display_path, path, yaml);
}

}  // namespace vpcgate::loader
