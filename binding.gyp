{
  "targets": [
    {
      "target_name": "widelimit_native",
      "sources": ["native/addon.cc", "native/gemm.cc", "native/pack.cc", "native/pool.cc", "native/vector.cc", "native/narrow.cc", "native/addon_trainer.cc", "native/addon_arccos.cc"],
      "dependencies": ["kernel_avx512", "kernel_avx2", "arccos"],
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off", "-fno-exceptions"],
      "cflags_cc!": ["-fno-rtti"],
      "ldflags": ["-pthread"]
    },
    {
      "target_name": "kernel_avx512",
      "type": "static_library",
      "sources": ["native/kernel_avx512.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off", "-mavx512f", "-mfma", "-fPIC"]
    },
    {
      "target_name": "arccos",
      "type": "static_library",
      "sources": ["native/arccos.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off", "-fno-math-errno", "-fno-trapping-math", "-fPIC"]
    },
    {
      "target_name": "kernel_avx2",
      "type": "static_library",
      "sources": ["native/kernel_avx2.cc"],
      "cflags_cc": ["-O3", "-std=c++17", "-ffp-contract=off", "-mavx2", "-mfma", "-fPIC"]
    }
  ]
}
