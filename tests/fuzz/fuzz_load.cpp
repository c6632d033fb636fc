// libFuzzer target: file recognition and loading (loader::load_text), JSON and YAML, and the
// merge of the result. The first byte picks the syntax: 'Y' = YAML (the rest of the input),
// anything else = JSON (the whole input). Any outcome but a FileLoad or an InputError is a bug.
#include <cstddef>
#include <cstdint>
#include <string>

#include "analyzer/loader/load_file.hpp"
#include "model/input_error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  bool yaml = size > 0 && data[0] == 'Y';
  if (yaml) text.erase(0, 1);
  try {
    auto part = vpcgate::loader::load_text(text, yaml ? "fuzz.yaml" : "fuzz.json", yaml);
    vpcgate::loader::Merger merger;
    merger.add(std::move(part));
    auto account = std::move(merger).finish();
    (void)account;
  } catch (const vpcgate::model::InputError&) {
  }
  return 0;
}
