// Native failures carry a stable code that src/native/load.ts turns into a typed DriverError with
// the likely causes and fixes; the message here says what failed and the errno behind it.
#pragma once

#include <napi.h>

#include <string>

namespace driver {

Napi::Error MakeDriverError(Napi::Env env, const std::string& code, const std::string& message, int err);

}  // namespace driver
