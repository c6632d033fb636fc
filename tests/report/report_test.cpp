#include <gtest/gtest.h>

#include "analyzer/report/report.hpp"
#include "analyzer/report/sha256.hpp"

using namespace vpcgate;

// FIPS 180-4 / NIST CSHS example vectors.
TEST(Sha256, NistVectors) {
  EXPECT_EQ(report::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(report::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(report::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(report::sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(FindingId, SubjectIsPrincipalElseResourceAndServiceWhereGiven) {
  checks::Finding f;
  f.check = "notebook-not-in-vpc";
  f.resource = "arn:aws:sagemaker:us-east-1:111122223333:notebook-instance/nb1";
  std::string data = f.check + std::string(1, '\0') + f.resource;
  EXPECT_EQ(report::finding_id(f), "vg-" + report::sha256_hex(data).substr(0, 16));

  f.principal = "arn:aws:iam::111122223333:role/R";
  data = f.check + std::string(1, '\0') + *f.principal;
  EXPECT_EQ(report::finding_id(f), "vg-" + report::sha256_hex(data).substr(0, 16));

  checks::Finding m;
  m.check = "vpc-endpoint-missing";
  m.resource = "vpc-1";
  m.id_service = "aws.sagemaker.us-east-1.notebook";
  data = m.check + std::string(1, '\0') + m.resource + std::string(1, '\0') + *m.id_service;
  EXPECT_EQ(report::finding_id(m), "vg-" + report::sha256_hex(data).substr(0, 16));
  // Independent of everything else in the finding.
  auto m2 = m;
  m2.detail = "other";
  m2.location.file = "x.json";
  EXPECT_EQ(report::finding_id(m), report::finding_id(m2));
}

TEST(SortFindings, SeverityThenCheckResourcePrincipalAbsentFirst) {
  auto make = [](checks::Severity s, std::string check, std::string resource, std::optional<std::string> p) {
    report::ReportedFinding rf;
    rf.finding.severity = s;
    rf.finding.check = std::move(check);
    rf.finding.resource = std::move(resource);
    rf.finding.principal = std::move(p);
    return rf;
  };
  std::vector<report::ReportedFinding> v;
  v.push_back(make(checks::Severity::Low, "a", "r", std::nullopt));
  v.push_back(make(checks::Severity::High, "b", "r2", std::string("p")));
  v.push_back(make(checks::Severity::High, "b", "r1", std::string("p")));
  v.push_back(make(checks::Severity::High, "a", "r9", std::nullopt));
  v.push_back(make(checks::Severity::Critical, "z", "r", std::nullopt));
  v.push_back(make(checks::Severity::High, "b", "r1", std::nullopt));
  report::sort_findings(v);
  std::vector<std::string> got;
  for (const auto& rf : v)
    got.push_back(rf.finding.check + "|" + rf.finding.resource + "|" + rf.finding.principal.value_or("-"));
  EXPECT_EQ(got, (std::vector<std::string>{"z|r|-", "a|r9|-", "b|r1|-", "b|r1|p", "b|r2|p", "a|r|-"}));
}

TEST(TerminalSafe, EscapesControlSequences) {
  EXPECT_EQ(report::terminal_safe("a\x1b[31mb\r\nc"), "a\\x1b[31mb\\r\\nc");
  EXPECT_EQ(report::terminal_safe("plain arn:aws:iam::1:role/x"), "plain arn:aws:iam::1:role/x");
  EXPECT_EQ(report::terminal_safe("x\xc2\x9by"), "x\\u009by");
}

TEST(Sarif, ArtifactUri) {
  EXPECT_EQ(report::artifact_uri("export/iam/page 1.json"), "export/iam/page%201.json");
  EXPECT_EQ(report::artifact_uri("/tmp/a#b.json"), "file:///tmp/a%23b.json");
  EXPECT_EQ(report::artifact_uri("dir\\file.json"), "dir/file.json");
}

TEST(Json, ReportHasEveryKeyAndIsValidJsonOnBadUtf8) {
  report::Report r;
  r.version = "0.1.0";
  report::ReportedFinding rf;
  rf.finding.check = "notebook-not-in-vpc";
  rf.finding.resource = "arn:\xff";
  rf.id = report::finding_id(rf.finding);
  r.findings.push_back(rf);
  auto text = report::render_json(r);
  auto j = nlohmann::json::parse(text);
  for (const char* k : {"critical", "high", "medium", "low", "new", "resolved", "suppressed"})
    EXPECT_TRUE(j["summary"].contains(k)) << k;
  EXPECT_EQ(j["findings"][0]["location"]["pointer"], "");
  EXPECT_FALSE(j["findings"][0].contains("new"));
  EXPECT_FALSE(j["findings"][0].contains("principal"));
}
