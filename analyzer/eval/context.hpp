#pragma once
// The request context: condition keys (compared case-insensitively) -> one or more values.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vpcgate::eval {

std::string ascii_lower(std::string_view s);

class Context {
 public:
  // Replaces any earlier values of the key (keys compare case-insensitively).
  void set(std::string_view key, std::vector<std::string> values);
  void set(std::string_view key, std::string value) { set(key, std::vector<std::string>{std::move(value)}); }
  void erase(std::string_view key);
  bool has(std::string_view key) const;
  // nullptr when the key is absent from the request.
  const std::vector<std::string>* get(std::string_view key) const;
  // (key as first given, values) in bytewise order of the lower-cased key.
  struct Entry { std::string key; std::vector<std::string> values; };
  const std::map<std::string, Entry>& entries() const { return entries_; }

 private:
  std::map<std::string, Entry> entries_;  // lower-cased key -> entry
};

}  // namespace vpcgate::eval
