/* Building and writing a JSON document (json.c, the one file that includes
 * cJSON). A thin builder: objects, arrays, numbers (NaN and infinities are
 * written as null), strings and booleans, added under a key of an object or
 * appended to an array.
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
typedef struct mpi_json_node mpi_json_node; /* an object or array in it */

/* A document whose root is an empty object; NULL when out of memory. */
mpi_json *mpi_json_new(void);
/* Free the document and every node of it; NULL is a no-op. */
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
 * the file or stream cannot be written. */
mp_status mpi_json_write(const mpi_json *j, const char *path);
mp_status mpi_json_write_to(const mpi_json *j, FILE *out);

#endif /* MPI_JSON_H */
