{
  "targets": [
    {
      "target_name": "aead",
      "sources": ["aead.c"],
      "defines": ["OPENSSL_API_COMPAT=30000", "OPENSSL_NO_DEPRECATED"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-fvisibility=hidden"],
      "conditions": [
        [
          "OS=='linux'",
          {
            "ldflags": ["-Wl,-z,now"]
          }
        ]
      ]
    }
  ]
}
