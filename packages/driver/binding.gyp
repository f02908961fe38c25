{
  "targets": [
    {
      "target_name": "falco_ts_driver",
      "sources": [
        "native/addon.cc",
        "native/batch_pool.cc",
        "native/capture_session.cc",
        "native/consumer.cc",
        "native/errors.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "build/bpf"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions", "-std=gnu++17"],
      "cflags_cc": ["-std=c++20", "-fvisibility=hidden", "-fexceptions", "-Wall", "-Wno-missing-field-initializers"],
      "libraries": ["-lbpf", "-lelf", "-lz"]
    }
  ]
}
