{
  "targets": [
    {
      "target_name": "deblurbench_native",
      "sources": ["native/conv.cc"],
      "libraries": ["-lopenblas"],
      "cflags_cc": ["-O3", "-std=c++17"]
    }
  ]
}
