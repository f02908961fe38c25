// Registration only: the addon's whole surface is the CaptureSession class.
#include <napi.h>

#include "capture_session.h"

namespace {
Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("CaptureSession", driver::CaptureSession::Define(env));
  return exports;
}
}  // namespace

NODE_API_MODULE(falco_ts_driver, Init)
