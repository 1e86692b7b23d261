/* The okr-cascade plugin C ABI, version 1.
 *
 * A plugin is a shared library that exports exactly one symbol, `okr_plugin_entry`, returning a
 * pointer to a static, immutable `okr_plugin_v1` table. Everything else crosses the boundary as
 * plain C: byte buffers holding serialized protobuf messages (proto/okr/plugin/v1/plugin.proto)
 * and integer result codes. No C++ type, exception or allocator is shared, so a plugin needs no
 * matching compiler, standard library or protobuf build. See plugins/sdk/README.md.
 *
 * Stability rules: `abi_version` is the first member and stays there forever, so a host can read
 * it from a table of any version before it trusts any other member. Changing the layout or the
 * meaning of a member requires a new OKR_PLUGIN_ABI_VERSION; hosts refuse other versions.
 *
 * Optional symbols add to version 1 without changing the table: a host looks each up and does
 * without it when it is missing, and a host that predates one never looks, so plugins and hosts
 * of any revision of version 1 load each other. Revision 1 (OKR_PLUGIN_ABI_REVISION) adds
 * `okr_plugin_config_schema`.
 */
#ifndef OKR_PLUGINS_SDK_OKR_PLUGIN_H_
#define OKR_PLUGINS_SDK_OKR_PLUGIN_H_

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OKR_PLUGIN_ABI_VERSION 1u
#define OKR_PLUGIN_ENTRY_SYMBOL "okr_plugin_entry"
#define OKR_PLUGIN_ABI_REVISION 1u

/* Optional (revision 1): the schema of the plugin's config JSON, a NUL-terminated UTF-8 JSON
 * document in the schema language of plugins/sdk/README.md ("Config schema"), valid as long as
 * the library is loaded. The host checks every config against it before storing it and
 * refuses a plugin whose schema does not parse. Without this symbol the host stores any JSON
 * object as a config and leaves the checking to create(). */
#define OKR_PLUGIN_CONFIG_SCHEMA_SYMBOL "okr_plugin_config_schema"
typedef const char* (*okr_plugin_config_schema_fn)(void);

/* What a plugin computes; fixes the input and output message types. */
enum okr_plugin_kind {
  OKR_PLUGIN_KIND_INCENTIVE = 1,  /* IncentiveInput   -> IncentiveOutput   */
  OKR_PLUGIN_KIND_REDLINE = 2,    /* RedlineInput     -> RedlineOutput     */
  OKR_PLUGIN_KIND_RECOGNITION = 3 /* RecognitionInput -> RecognitionOutput */
};

/* Result codes of create() and evaluate(). Anything but OK carries a UTF-8 message. */
enum okr_plugin_code {
  OKR_PLUGIN_OK = 0,
  OKR_PLUGIN_ERROR_CONFIG = 1,   /* the configuration JSON is invalid */
  OKR_PLUGIN_ERROR_INPUT = 2,    /* the input bytes do not parse or make no sense */
  OKR_PLUGIN_ERROR_INTERNAL = 3, /* a bug or an exception inside the plugin */
  OKR_PLUGIN_ERROR_UNSUPPORTED = 4
};

/* Bytes allocated by the plugin; the host hands them back to free_buffer() once read. */
typedef struct okr_plugin_buffer {
  uint8_t* data;
  size_t size;
} okr_plugin_buffer;

/* A configured instance; opaque to the host. */
typedef struct okr_plugin_instance okr_plugin_instance;

typedef struct okr_plugin_v1 {
  uint32_t abi_version; /* OKR_PLUGIN_ABI_VERSION the plugin was built against; always first */
  uint32_t kind;        /* an okr_plugin_kind */
  const char* name;     /* unique among loaded plugins: [a-z0-9_]+ by convention */
  const char* version;  /* the plugin's own version, free text such as "1.2.0" */

  /* Parses and validates `config_json` (UTF-8, not NUL-terminated, may be empty). On OK sets
   * *instance; otherwise sets *error to a message. */
  int32_t (*create)(const char* config_json, size_t config_size, okr_plugin_instance** instance,
                    okr_plugin_buffer* error);

  /* Evaluates one serialized input of the plugin's kind. On OK *output holds the serialized
   * output message (possibly empty bytes: the empty message); otherwise *output holds a message.
   * Must be safe to call concurrently on distinct instances. */
  int32_t (*evaluate)(okr_plugin_instance* instance, const uint8_t* input, size_t input_size,
                      okr_plugin_buffer* output);

  /* Releases a buffer filled by create() or evaluate(); accepts an empty buffer. */
  void (*free_buffer)(okr_plugin_buffer* buffer);

  /* Releases an instance from create(); accepts NULL. */
  void (*destroy)(okr_plugin_instance* instance);
} okr_plugin_v1;

/* The one exported symbol. Returns a table that lives as long as the library is loaded. */
typedef const okr_plugin_v1* (*okr_plugin_entry_fn)(void);

#ifdef __cplusplus
}
#endif

#endif /* OKR_PLUGINS_SDK_OKR_PLUGIN_H_ */
