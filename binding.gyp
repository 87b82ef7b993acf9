{
  "targets": [
    {
      "target_name": "deblurbench_native",
      "sources": ["native/module.cc", "native/conv.cc", "native/adam.cc"],
      "libraries": ["-lopenblas"],
      "cflags_cc": ["-O3", "-std=c++17", "-fno-math-errno"]
    }
  ]
}
