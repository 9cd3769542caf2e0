/* The JSON adapter (json.h): the one file that includes cJSON. cJSON's nodes
 * stand for mpi_json_node; the document remembers whether any allocation
 * failed. */
#include "json.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <stdlib.h>

struct mpi_json {
    cJSON *root;
    int nomem; /* an allocation failed: the document is incomplete */
};

/* cJSON allocates with its own hooks: cJSON_InitHooks() would change them for
 * the whole process, including an application that embeds mixplan and uses
 * cJSON itself (and may have set hooks of its own), so they are left alone.
 * Every cJSON call that allocates is checked instead (the nomem flag). */
mpi_json *mpi_json_new(void)
{
    mpi_json *j = mpi_calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->root = cJSON_CreateObject();
    if (!j->root) {
        free(j);
        return NULL;
    }
    return j;
}

void mpi_json_free(mpi_json *j)
{
    if (!j)
        return;
    cJSON_Delete(j->root);
    free(j);
}

mpi_json_node *mpi_json_root(mpi_json *j)
{
    return j ? (mpi_json_node *)j->root : NULL;
}

/* Attach item under parent (by key, or appended); returns item, or NULL and
 * marks the document when item is NULL (its allocation failed) or cannot be
 * attached. */
static cJSON *attach(mpi_json *j, mpi_json_node *parent, const char *key, cJSON *item)
{
    cJSON *p = (cJSON *)parent;
    cJSON_bool ok = item != NULL;
    if (ok)
        ok = key ? cJSON_AddItemToObject(p, key, item) : cJSON_AddItemToArray(p, item);
    if (!ok) {
        cJSON_Delete(item);
        j->nomem = 1;
        return NULL;
    }
    return item;
}

/* Whether a value may be added: a document, a parent, and no failure yet
 * (after one, the document will not be written anyway). */
static int can_add(const mpi_json *j, const mpi_json_node *parent)
{
    return j && parent && !j->nomem;
}

mpi_json_node *mpi_json_object(mpi_json *j, mpi_json_node *parent, const char *key)
{
    if (!can_add(j, parent))
        return NULL;
    return (mpi_json_node *)attach(j, parent, key, cJSON_CreateObject());
}

mpi_json_node *mpi_json_array(mpi_json *j, mpi_json_node *parent, const char *key)
{
    if (!can_add(j, parent))
        return NULL;
    return (mpi_json_node *)attach(j, parent, key, cJSON_CreateArray());
}

void mpi_json_num(mpi_json *j, mpi_json_node *parent, const char *key, double v)
{
    if (can_add(j, parent))
        attach(j, parent, key, isfinite(v) ? cJSON_CreateNumber(v) : cJSON_CreateNull());
}

void mpi_json_str(mpi_json *j, mpi_json_node *parent, const char *key, const char *s)
{
    if (!can_add(j, parent))
        return;
    /* Text is checked where it enters mixplan; should any get past that, a
     * JSON reader refuses a document that is not UTF-8. */
    char *clean = s && !mpi_utf8_valid(s) ? mpi_strdup(s) : NULL;
    if (clean)
        mpi_utf8_scrub(clean);
    else if (s && !mpi_utf8_valid(s)) {
        j->nomem = 1;
        return;
    }
    const char *v = clean ? clean : s;
    attach(j, parent, key, v ? cJSON_CreateString(v) : cJSON_CreateNull());
    free(clean);
}

void mpi_json_bool(mpi_json *j, mpi_json_node *parent, const char *key, int b)
{
    if (can_add(j, parent))
        attach(j, parent, key, cJSON_CreateBool(b != 0));
}

/* The document's text, or NULL (out of memory, now or before). */
static char *doc_text(const mpi_json *j)
{
    if (!j || j->nomem)
        return NULL;
    return cJSON_Print(j->root);
}

mp_status mpi_json_write_to(const mpi_json *j, FILE *out)
{
    char *text = doc_text(j);
    if (!text)
        return mpi_nomem();
    mp_status st = MP_OK;
    if (fputs(text, out) < 0 || fputs("\n", out) < 0 || fflush(out) != 0)
        st = mpi_fail(MP_ERR_IO, "cannot write JSON to the stream");
    cJSON_free(text);
    return st;
}

mp_status mpi_json_write(const mpi_json *j, const char *path)
{
    char *text = doc_text(j);
    if (!text)
        return mpi_nomem();
    mpi_atomic a;
    mp_status st = mpi_atomic_begin(path, "JSON", &a);
    if (st == MP_OK) {
        errno = 0;
        FILE *f = fopen(a.tmp, "wb");
        int ok = f && fputs(text, f) >= 0 && fputs("\n", f) >= 0;
        int err = errno;
        if (f && fclose(f) != 0) {
            if (ok)
                err = errno;
            ok = 0;
        }
        if (!ok)
            st = mpi_write_error(path, "JSON", err, "write failed");
        mp_status st2 = mpi_atomic_end(&a, path, ok);
        if (st == MP_OK)
            st = st2;
    }
    cJSON_free(text);
    return st;
}
