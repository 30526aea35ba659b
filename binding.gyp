{
  "targets": [
    {
      "target_name": "zsniff_pcap",
      "sources": ["native/zsniff_pcap.c"],
      "libraries": ["-lpcap", "-lpthread"],
      "cflags": ["-O2", "-std=gnu11", "-Wall", "-Wextra", "-Wno-unused-parameter"],
      "defines": ["NAPI_VERSION=8"]
    }
  ]
}
