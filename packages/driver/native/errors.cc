#include "errors.h"

#include <cstring>

namespace driver {

Napi::Error MakeDriverError(Napi::Env env, const std::string& code, const std::string& message, int err) {
  std::string text = message;
  if (err != 0) text += ": " + std::string(strerror(err < 0 ? -err : err));
  Napi::Error error = Napi::Error::New(env, text);
  error.Value().Set("code", Napi::String::New(env, code));
  error.Value().Set("errno", Napi::Number::New(env, err < 0 ? -err : err));
  return error;
}

}  // namespace driver
