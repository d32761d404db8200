/*
 * One-shot AES-256-GCM for keys.seal (decision 0029): the same OpenSSL that Node ships and
 * exports, called through EVP without the per-call cost of node:crypto cipher objects.
 *
 *   keyHandle(key)                     -> handle   key: 32 bytes; the key schedule lives in the handle
 *   seal(handle, nonce, aad, plaintext, out) -> undefined  out (plaintext + 16 bytes) = ciphertext || tag
 *   open(handle, nonce, aad, body, out)      -> boolean    out (body - 16 bytes) = plaintext; false, and
 *                                                        out zeroed, when the tag does not verify
 *   dispose(handle)                     -> undefined  frees (and wipes) the key schedule now
 *   openssl                             the OpenSSL version string this process runs
 *
 * The caller allocates `out` (Buffer.allocUnsafe is pooled; a Buffer made here costs more than the
 * encryption). Every length is checked here, before OpenSSL sees a pointer; misuse throws a JS
 * error. `out` must not overlap an input. The handle is an external with a type tag, so no other
 * object can be passed off as one.
 */
#define NAPI_VERSION 8
#include <limits.h>
#include <node_api.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <string.h>

#define KEY_BYTES 32
#define NONCE_BYTES 12
#define TAG_BYTES 16
/* GCM allows 2^36 - 32 bytes; EVP counts in int. One value is far below either limit. */
#define MAX_DATA_BYTES ((size_t)1 << 30)

/* Per environment (main thread, each worker): the fetched cipher, freed with the environment. */
typedef struct {
  EVP_CIPHER *gcm;
} aead_env;

typedef struct {
  EVP_CIPHER_CTX *enc;
  EVP_CIPHER_CTX *dec;
} aead_key;

static const napi_type_tag KEY_TAG = {0x6d6c6b31aead0001ULL, 0x9f3c2b71d04e5a66ULL};

static void free_key(aead_key *k) {
  /* EVP_CIPHER_CTX_free clears the provider context, key schedule included. */
  EVP_CIPHER_CTX_free(k->enc);
  EVP_CIPHER_CTX_free(k->dec);
  k->enc = NULL;
  k->dec = NULL;
}

static void finalize_key(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  aead_key *k = (aead_key *)data;
  free_key(k);
  OPENSSL_free(k);
}

static void finalize_env(napi_env env, void *data, void *hint) {
  (void)env;
  (void)hint;
  aead_env *e = (aead_env *)data;
  EVP_CIPHER_free(e->gcm);
  OPENSSL_free(e);
}

static napi_value fail(napi_env env, const char *code, const char *message) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_error(env, code, message);
  return NULL;
}

static napi_value fail_type(napi_env env, const char *code, const char *message) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_type_error(env, code, message);
  return NULL;
}

static napi_value fail_range(napi_env env, const char *code, const char *message) {
  bool pending = false;
  napi_is_exception_pending(env, &pending);
  if (!pending) napi_throw_range_error(env, code, message);
  return NULL;
}

static napi_value fail_openssl(napi_env env, const char *message) {
  ERR_clear_error();
  return fail(env, "ERR_AEAD_OPENSSL", message);
}

/* A Uint8Array (Buffer) argument: its bytes and length. Anything else is a type error. */
static int get_bytes(napi_env env, napi_value value, const char *what, const uint8_t **data, size_t *len) {
  bool is_typed = false;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed) {
    fail_type(env, "ERR_AEAD_ARGUMENT", what);
    return 0;
  }
  napi_typedarray_type type;
  void *ptr = NULL;
  if (napi_get_typedarray_info(env, value, &type, len, &ptr, NULL, NULL) != napi_ok || type != napi_uint8_array) {
    fail_type(env, "ERR_AEAD_ARGUMENT", what);
    return 0;
  }
  *data = (const uint8_t *)ptr;
  return 1;
}

/* The object behind a key handle; a type error for anything else (other externals included). */
static aead_key *get_handle(napi_env env, napi_value value) {
  napi_valuetype t;
  bool tagged = false;
  void *data = NULL;
  if (napi_typeof(env, value, &t) != napi_ok || t != napi_external ||
      napi_check_object_type_tag(env, value, &KEY_TAG, &tagged) != napi_ok || !tagged ||
      napi_get_value_external(env, value, &data) != napi_ok || data == NULL) {
    fail_type(env, "ERR_AEAD_ARGUMENT", "the first argument must be a key handle made by keyHandle()");
    return NULL;
  }
  return (aead_key *)data;
}

static aead_key *get_key(napi_env env, napi_value value) {
  aead_key *k = get_handle(env, value);
  if (k == NULL) return NULL;
  if (k->enc == NULL || k->dec == NULL) {
    fail(env, "ERR_AEAD_DISPOSED", "the key handle was disposed");
    return NULL;
  }
  return k;
}

static int get_args(napi_env env, napi_callback_info info, size_t expected, napi_value *argv) {
  size_t argc = expected;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok) {
    fail(env, "ERR_AEAD_ARGUMENT", "cannot read the arguments");
    return 0;
  }
  if (argc != expected) {
    fail_type(env, "ERR_AEAD_ARGUMENT", "wrong number of arguments");
    return 0;
  }
  return 1;
}

static napi_value key_handle(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  const uint8_t *key;
  size_t key_len;
  if (!get_bytes(env, argv[0], "the key must be a Buffer", &key, &key_len)) return NULL;
  if (key_len != KEY_BYTES) return fail_range(env, "ERR_AEAD_KEY_LENGTH", "the key must be 32 bytes");
  aead_env *e = NULL;
  if (napi_get_instance_data(env, (void **)&e) != napi_ok || e == NULL) {
    return fail(env, "ERR_AEAD_STATE", "the module is not initialised in this environment");
  }
  aead_key *k = OPENSSL_zalloc(sizeof(*k));
  if (k == NULL) return fail(env, "ERR_AEAD_MEMORY", "out of memory");
  k->enc = EVP_CIPHER_CTX_new();
  k->dec = EVP_CIPHER_CTX_new();
  /* The key goes straight from the caller's Buffer into the key schedule: no copy to wipe here. */
  if (k->enc == NULL || k->dec == NULL || EVP_EncryptInit_ex(k->enc, e->gcm, NULL, key, NULL) != 1 ||
      EVP_DecryptInit_ex(k->dec, e->gcm, NULL, key, NULL) != 1) {
    free_key(k);
    OPENSSL_free(k);
    return fail_openssl(env, "AES-256-GCM key setup failed");
  }
  napi_value handle;
  if (napi_create_external(env, k, finalize_key, NULL, &handle) != napi_ok) {
    free_key(k);
    OPENSSL_free(k);
    return fail(env, "ERR_AEAD_STATE", "cannot create the key handle");
  }
  if (napi_type_tag_object(env, handle, &KEY_TAG) != napi_ok) {
    /* The finalizer owns k now; make the handle unusable. */
    free_key(k);
    return fail(env, "ERR_AEAD_STATE", "cannot tag the key handle");
  }
  return handle;
}

/* The arguments common to seal and open: handle, 12-byte nonce, AAD, data, output. */
typedef struct {
  aead_key *key;
  const uint8_t *nonce;
  const uint8_t *aad;
  size_t aad_len;
  const uint8_t *data;
  size_t data_len;
  uint8_t *out;
  size_t out_len;
} call_args;

static int overlaps(const uint8_t *a, size_t a_len, const uint8_t *b, size_t b_len) {
  if (a_len == 0 || b_len == 0) return 0;
  uintptr_t a0 = (uintptr_t)a, b0 = (uintptr_t)b;
  return a0 < b0 + b_len && b0 < a0 + a_len;
}

static int read_call(napi_env env, napi_callback_info info, call_args *a) {
  napi_value argv[5];
  if (!get_args(env, info, 5, argv)) return 0;
  a->key = get_key(env, argv[0]);
  if (a->key == NULL) return 0;
  size_t nonce_len;
  if (!get_bytes(env, argv[1], "the nonce must be a Buffer", &a->nonce, &nonce_len)) return 0;
  if (nonce_len != NONCE_BYTES) {
    fail_range(env, "ERR_AEAD_NONCE_LENGTH", "the nonce must be 12 bytes");
    return 0;
  }
  if (!get_bytes(env, argv[2], "the AAD must be a Buffer", &a->aad, &a->aad_len)) return 0;
  if (a->aad_len > MAX_DATA_BYTES) {
    fail_range(env, "ERR_AEAD_AAD_LENGTH", "the AAD is too long");
    return 0;
  }
  if (!get_bytes(env, argv[3], "the data must be a Buffer", &a->data, &a->data_len)) return 0;
  if (a->data_len > MAX_DATA_BYTES + TAG_BYTES) {
    fail_range(env, "ERR_AEAD_DATA_LENGTH", "the data is too long (at most 1 GiB)");
    return 0;
  }
  const uint8_t *out;
  if (!get_bytes(env, argv[4], "the output must be a Buffer", &out, &a->out_len)) return 0;
  a->out = (uint8_t *)out;
  if (overlaps(a->out, a->out_len, a->nonce, NONCE_BYTES) || overlaps(a->out, a->out_len, a->aad, a->aad_len) ||
      overlaps(a->out, a->out_len, a->data, a->data_len)) {
    fail_range(env, "ERR_AEAD_OVERLAP", "the output must not overlap an input");
    return 0;
  }
  return 1;
}

static napi_value seal(napi_env env, napi_callback_info info) {
  call_args a;
  if (!read_call(env, info, &a)) return NULL;
  if (a.data_len > MAX_DATA_BYTES) {
    return fail_range(env, "ERR_AEAD_DATA_LENGTH", "the plaintext is too long (at most 1 GiB)");
  }
  if (a.out_len != a.data_len + TAG_BYTES) {
    return fail_range(env, "ERR_AEAD_OUTPUT_LENGTH", "the output must be 16 bytes longer than the plaintext");
  }
  EVP_CIPHER_CTX *ctx = a.key->enc;
  int n = 0;
  int written = 0;
  if (EVP_EncryptInit_ex(ctx, NULL, NULL, NULL, a.nonce) != 1) goto failed;
  if (a.aad_len > 0 && EVP_EncryptUpdate(ctx, NULL, &n, a.aad, (int)a.aad_len) != 1) goto failed;
  if (a.data_len > 0) {
    if (EVP_EncryptUpdate(ctx, a.out, &n, a.data, (int)a.data_len) != 1) goto failed;
    written = n;
  }
  if (EVP_EncryptFinal_ex(ctx, a.out + written, &n) != 1) goto failed;
  written += n;
  if ((size_t)written != a.data_len) goto failed;
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_BYTES, a.out + a.data_len) != 1) goto failed;
  return NULL;
failed:
  OPENSSL_cleanse(a.out, a.out_len);
  return fail_openssl(env, "AES-256-GCM encryption failed");
}

static napi_value open_(napi_env env, napi_callback_info info) {
  call_args a;
  if (!read_call(env, info, &a)) return NULL;
  if (a.data_len < TAG_BYTES) return fail_range(env, "ERR_AEAD_DATA_LENGTH", "the sealed body is shorter than its tag");
  size_t ct_len = a.data_len - TAG_BYTES;
  if (a.out_len != ct_len) {
    return fail_range(env, "ERR_AEAD_OUTPUT_LENGTH", "the output must be 16 bytes shorter than the sealed body");
  }
  uint8_t tag[TAG_BYTES];
  memcpy(tag, a.data + ct_len, TAG_BYTES);
  EVP_CIPHER_CTX *ctx = a.key->dec;
  int n = 0;
  int written = 0;
  napi_value verdict;
  if (EVP_DecryptInit_ex(ctx, NULL, NULL, NULL, a.nonce) != 1) goto failed;
  if (a.aad_len > 0 && EVP_DecryptUpdate(ctx, NULL, &n, a.aad, (int)a.aad_len) != 1) goto failed;
  if (ct_len > 0) {
    if (EVP_DecryptUpdate(ctx, a.out, &n, a.data, (int)ct_len) != 1) goto failed;
    written = n;
  }
  if (EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_BYTES, tag) != 1) goto failed;
  /* The tag comparison is OpenSSL's, in constant time (CRY-08). */
  if (EVP_DecryptFinal_ex(ctx, a.out + written, &n) != 1) {
    /* Not authentic: no byte of the unverified plaintext is left in `out`. */
    OPENSSL_cleanse(a.out, a.out_len);
    ERR_clear_error();
    napi_get_boolean(env, false, &verdict);
    return verdict;
  }
  written += n;
  if ((size_t)written != ct_len) goto failed;
  napi_get_boolean(env, true, &verdict);
  return verdict;
failed:
  OPENSSL_cleanse(a.out, a.out_len);
  return fail_openssl(env, "AES-256-GCM decryption failed");
}

static napi_value dispose(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (!get_args(env, info, 1, argv)) return NULL;
  aead_key *k = get_handle(env, argv[0]);
  if (k == NULL) return NULL;
  /* Disposing twice is harmless; the finalizer frees the (then empty) holder later. */
  free_key(k);
  return NULL;
}

NAPI_MODULE_INIT() {
  /* Built against OpenSSL 3 headers: refuse to load next to any other major version. */
  if ((OpenSSL_version_num() >> 28) != (OPENSSL_VERSION_NUMBER >> 28)) {
    napi_throw_error(env, "ERR_AEAD_OPENSSL", "this process runs a different OpenSSL major version");
    return NULL;
  }
  aead_env *e = NULL;
  /* Loaded again into the same environment: keep the state already there. */
  if (napi_get_instance_data(env, (void **)&e) == napi_ok && e != NULL) goto define_exports;
  e = OPENSSL_zalloc(sizeof(*e));
  if (e == NULL) {
    napi_throw_error(env, "ERR_AEAD_MEMORY", "out of memory");
    return NULL;
  }
  e->gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
  if (e->gcm == NULL) {
    OPENSSL_free(e);
    ERR_clear_error();
    napi_throw_error(env, "ERR_AEAD_OPENSSL", "AES-256-GCM is not available in this OpenSSL");
    return NULL;
  }
  if (napi_set_instance_data(env, e, finalize_env, NULL) != napi_ok) {
    EVP_CIPHER_free(e->gcm);
    OPENSSL_free(e);
    napi_throw_error(env, "ERR_AEAD_STATE", "cannot keep per-environment state");
    return NULL;
  }
define_exports:;
  napi_property_descriptor props[] = {
      {"keyHandle", NULL, key_handle, NULL, NULL, NULL, napi_enumerable, NULL},
      {"seal", NULL, seal, NULL, NULL, NULL, napi_enumerable, NULL},
      {"open", NULL, open_, NULL, NULL, NULL, napi_enumerable, NULL},
      {"dispose", NULL, dispose, NULL, NULL, NULL, napi_enumerable, NULL},
  };
  if (napi_define_properties(env, exports, sizeof(props) / sizeof(props[0]), props) != napi_ok) return NULL;
  napi_value version;
  if (napi_create_string_utf8(env, OpenSSL_version(OPENSSL_VERSION), NAPI_AUTO_LENGTH, &version) != napi_ok ||
      napi_set_named_property(env, exports, "openssl", version) != napi_ok) {
    return NULL;
  }
  return exports;
}
