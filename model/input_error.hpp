#pragma once
// An input that vpcgate cannot use: always names the file and the place in it.
// `where` is a JSON pointer ("/RoleDetailList/3/AssumeRolePolicyDocument/Statement/1/Effect"),
// "line L, column C" for syntax errors, or for a policy held in a JSON string the pointer to
// the string followed by the place inside it ("/Policy/Content: /Statement/0/Effect").
// main() alone turns it into `vpcgate: error: FILE: WHERE: message` and exit status 2.
#include <stdexcept>
#include <string>

namespace vpcgate::model {

class InputError : public std::runtime_error {
 public:
  InputError(std::string file, std::string where, std::string message)
      : std::runtime_error(compose(file, where, message)),
        file_(std::move(file)), where_(std::move(where)), message_(std::move(message)) {}

  const std::string& file() const { return file_; }
  const std::string& where() const { return where_; }
  const std::string& message() const { return message_; }

 private:
  static std::string compose(const std::string& f, const std::string& w, const std::string& m) {
    std::string out = f;
    if (!w.empty()) out += ": " + w;
    out += ": " + m;
    return out;
  }
  std::string file_;
  std::string where_;
  std::string message_;
};

}  // namespace vpcgate::model
