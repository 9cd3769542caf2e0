/* Building and writing a JSON document (json.c). A thin writer: objects,
 * arrays, numbers (NaN and infinities are written as null), strings and
 * booleans, added under a key of an object or appended to an array. The text
 * is cJSON_Print's, byte for byte (the layout the JSON has always had: tabs,
 * "key":<tab>value, arrays on one line, numbers as cJSON prints them), but it
 * is produced as the values are added: no tree, no allocation per value.
 *
 * Values are added in document order: adding under a container closes every
 * container opened inside it since, and a closed container takes nothing more
 * (a value added to one marks the document as misused: it is not written).
 *
 * Out of memory is sticky: a failed allocation marks the document, later
 * calls on it add nothing, and writing it returns MP_ERR_NOMEM, so a document
 * is never written with fields silently missing. A NULL node (what a failed
 * mpi_json_object() or mpi_json_array() returns) is accepted everywhere and
 * adds nothing: callers need not check each call. Every allocation goes
 * through engine/base's allocator. */
#ifndef MPI_JSON_H
#define MPI_JSON_H

#include "base.h"

typedef struct mpi_json mpi_json;           /* a document */
typedef struct mpi_json_node mpi_json_node; /* an object or array in it: a handle */

/* A document whose root is an empty object, its text kept in memory until
 * mpi_json_write(); NULL when out of memory. */
mpi_json *mpi_json_new(void);
/* The same, its text streamed to out as it grows (flat memory, for large
 * documents); mpi_json_finish() ends it. */
mpi_json *mpi_json_new_to(FILE *out);
/* Free the document; NULL is a no-op. */
void mpi_json_free(mpi_json *j);
/* The root object; NULL for a NULL document. */
mpi_json_node *mpi_json_root(mpi_json *j);

/* In each call below, key names the member when parent is an object and must
 * be NULL when parent is an array (the value is appended). */

/* A new empty object or array under parent; NULL when out of memory. */
mpi_json_node *mpi_json_object(mpi_json *j, mpi_json_node *parent, const char *key);
mpi_json_node *mpi_json_array(mpi_json *j, mpi_json_node *parent, const char *key);
/* A number; a NaN or an infinity is written as null. */
void mpi_json_num(mpi_json *j, mpi_json_node *parent, const char *key, double v);
/* A string (copied); NULL is written as null. */
void mpi_json_str(mpi_json *j, mpi_json_node *parent, const char *key, const char *s);
void mpi_json_bool(mpi_json *j, mpi_json_node *parent, const char *key, int b);

/* Write the document, indented, and a newline: to path under a temporary
 * name renamed on success (engine/base's atomic output), or to an open
 * stream. MP_ERR_NOMEM when an allocation failed at any time, MP_ERR_IO when
 * the file or stream cannot be written. For a document of mpi_json_new(). */
mp_status mpi_json_write(const mpi_json *j, const char *path);
mp_status mpi_json_write_to(const mpi_json *j, FILE *out);
/* End a document of mpi_json_new_to(): close what is open, add the newline
 * and flush. MP_ERR_NOMEM, MP_ERR_IO as above (what was streamed before a
 * failure stays in the stream: write to a temporary). */
mp_status mpi_json_finish(mpi_json *j);

/* Build a document with build(j, root, arg) and write it as it is built,
 * flushing a fixed buffer: to path under a temporary name renamed on success
 * (nothing replaced on failure), or to out (what was written before an I/O
 * failure stays there). Statuses as mpi_json_write(). */
typedef void (*mpi_json_build)(mpi_json *j, mpi_json_node *root, const void *arg);
mp_status mpi_json_stream(const char *path, FILE *out, mpi_json_build build, const void *arg);

/* A number as the document writes it (as cJSON 1.7.15 prints it: "%.15g"
 * when that reads back within a unit in the last place, else "%.17g"; null
 * when not finite) into buf; returns its length. */
enum { MPI_JSON_NUM_MAX = 32 };
size_t mpi_json_format_number(char buf[MPI_JSON_NUM_MAX], double v);

/* ---- reading (cJSON) ---------------------------------------------------
 * A JSON file parsed whole by cJSON (its allocations through engine/base's
 * allocator), read through the getters below: a value is a handle into the
 * document, alive until mpi_jdoc_free(). Every getter takes NULL (a member
 * that is not there) and answers as for a value of the wrong kind, so a
 * chain of lookups needs one check at its end. */
typedef struct mpi_jdoc mpi_jdoc;
typedef struct mpi_jval mpi_jval;

/* Parse the file at path. Bad JSON fails with MP_ERR_INPUT naming the file,
 * the line and the column where the parse stopped; I/O errors as
 * mpi_read_file(). */
mp_status mpi_jdoc_read(const char *path, mpi_jdoc **out);
void mpi_jdoc_free(mpi_jdoc *d);
const mpi_jval *mpi_jdoc_root(const mpi_jdoc *d);
/* The member key of an object (case-sensitive), or NULL. */
const mpi_jval *mpi_jval_get(const mpi_jval *obj, const char *key);
/* Values in an array (0 for anything else) and value i of one. */
size_t mpi_jval_count(const mpi_jval *arr);
const mpi_jval *mpi_jval_at(const mpi_jval *arr, size_t i);
/* A number, or an array holding exactly one number (how R's jsonlite writes
 * a scalar): 0 and *v set, else -1. */
int mpi_jval_num(const mpi_jval *v, double *out);
/* A string, or an array holding exactly one string: the string, else NULL. */
const char *mpi_jval_str(const mpi_jval *v);

#endif /* MPI_JSON_H */
