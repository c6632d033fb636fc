#include "analyzer/eval/context.hpp"

#include <utility>

namespace vpcgate::eval {

std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

void Context::set(std::string_view key, std::vector<std::string> values) {
  entries_[ascii_lower(key)] = Entry{std::string(key), std::move(values)};
}

void Context::erase(std::string_view key) { entries_.erase(ascii_lower(key)); }

bool Context::has(std::string_view key) const { return entries_.count(ascii_lower(key)) != 0; }

const std::vector<std::string>* Context::get(std::string_view key) const {
  auto it = entries_.find(ascii_lower(key));
  return it == entries_.end() ? nullptr : &it->second.values;
}

}  // namespace vpcgate::eval
