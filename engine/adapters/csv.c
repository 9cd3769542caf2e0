/* libcsv adapter: the only file that includes csv.h. Reads a whole delimited
 * file into rows of NUL-terminated fields with their source line numbers,
 * after mpi_text_decode() has made its text UTF-8. */
#include "adapters.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

/* The row being parsed: its fields' bytes one after the other in buf (each
 * NUL-terminated), their offsets in off; both kept from row to row, so that
 * a file of a million rows costs no allocation a field or a row. */
typedef struct collect {
    mpi_row_fn fn;
    void *ctx;
    char *buf;
    size_t len, cap;
    size_t *off;
    char **fields; /* handed to fn: pointers into buf */
    size_t nf, capf, cap_ptrs;
    int line, row_line;
    int oom;
    char delim;   /* the delimiter read with */
    mp_status st; /* fn's failure: the reading stops */
} collect;

static void on_field(void *s, size_t len, void *data)
{
    collect *c = data;
    if (c->oom || c->st != MP_OK)
        return;
    /* A row starts where its first field does: a quoted field may span lines,
     * and libcsv hands it over on the line where it ends. */
    if (c->nf == 0) {
        c->row_line = c->line;
        for (size_t i = 0; s && i < len; i++)
            c->row_line -= ((const char *)s)[i] == '\n';
        c->len = 0;
    }
    len = s ? len : 0;
    size_t *off = mpi_reserve(c->off, &c->capf, c->nf + 1, sizeof *off);
    if (off)
        c->off = off;
    char *buf = off ? mpi_reserve(c->buf, &c->cap, c->len + len + 1, 1) : NULL;
    if (!buf) {
        c->oom = 1;
        return;
    }
    c->buf = buf;
    if (len)
        memcpy(buf + c->len, s, len);
    buf[c->len + len] = '\0';
    c->off[c->nf++] = c->len;
    c->len += len + 1;
}

static void on_row(int term, void *data)
{
    (void)term;
    collect *c = data;
    if (c->oom || c->st != MP_OK)
        return;
    if (c->nf > 0) {
        char **f = mpi_reserve(c->fields, &c->cap_ptrs, c->nf, sizeof *f);
        if (!f) {
            c->oom = 1;
            return;
        }
        c->fields = f;
        for (size_t i = 0; i < c->nf; i++)
            f[i] = c->buf + c->off[i];
    }
    c->st = c->fn(c->ctx, c->fields, c->nf, c->nf ? c->row_line : c->line);
    c->nf = 0;
}

static int is_space(unsigned char ch)
{
    return ch == ' ';
}

static int is_term(unsigned char ch)
{
    return ch == '\n' || ch == '\r';
}

/* The candidate delimiter seen most often outside quotes in the first lines. */
static char detect_delim(const char *buf, size_t len)
{
    const char cands[3] = {'\t', ';', ','};
    size_t count[3] = {0, 0, 0};
    int lines = 0, inq = 0;
    for (size_t i = 0; i < len && lines < 20; i++) {
        char ch = buf[i];
        if (ch == '"')
            inq = !inq;
        else if (ch == '\n' && !inq)
            lines++;
        else if (!inq)
            for (int k = 0; k < 3; k++)
                if (ch == cands[k])
                    count[k]++;
    }
    int best = 2;
    for (int k = 0; k < 3; k++)
        if (count[k] > count[best])
            best = k;
    return cands[best];
}

/* Parse text row by row into c->fn, line by line so that each row knows the
 * line it starts on. libcsv allocates through the base allocator. */
static mp_status parse_rows(const char *path, const char *p, size_t n, char delim, collect *c)
{
    struct csv_parser cp;
    if (csv_init(&cp, CSV_APPEND_NULL) != 0)
        return mpi_fail(MP_ERR_NOMEM, N_("%s: out of memory"), path);
    csv_set_realloc_func(&cp, mpi_realloc);
    c->delim = delim ? delim : detect_delim(p, n);
    csv_set_delim(&cp, (unsigned char)c->delim);
    csv_set_space_func(&cp, is_space);
    csv_set_term_func(&cp, is_term);
    c->line = 1;
    size_t pos = 0;
    while (pos < n && !c->oom && c->st == MP_OK) {
        const char *nl = memchr(p + pos, '\n', n - pos);
        size_t chunk = nl ? (size_t)(nl - (p + pos)) + 1 : n - pos;
        if (csv_parse(&cp, p + pos, chunk, on_field, on_row, c) != chunk) {
            c->oom = 1;
            break;
        }
        pos += chunk;
        if (nl) /* a last line without a line break ends at csv_fini, on this line */
            c->line++;
    }
    if (!c->oom && c->st == MP_OK && csv_fini(&cp, on_field, on_row, c) != 0)
        c->oom = 1;
    csv_free(&cp);
    if (c->st != MP_OK)
        return c->st;
    if (c->oom)
        return mpi_fail(MP_ERR_NOMEM, N_("%s: out of memory while reading"), path);
    return MP_OK;
}

/* mpi_table_each, the delimiter read with in *used (used may be NULL). */
static mp_status table_each(const char *path, char delim, mpi_row_fn fn, void *ctx, char **note,
                            char *used)
{
    if (note)
        *note = NULL;
    char *buf = NULL;
    size_t len = 0;
    mp_status st = mpi_read_file(path, &buf, &len);
    if (st != MP_OK)
        return st;
    mpi_text text;
    st = mpi_text_decode(path, buf, len, &text);
    if (text.owned) { /* converted: the bytes read are not needed while parsing */
        free(buf);
        buf = NULL;
    }
    collect c = {.fn = fn, .ctx = ctx, .st = MP_OK};
    if (st == MP_OK)
        st = parse_rows(path, text.p, text.n, delim, &c);
    free(c.buf);
    free(c.off);
    free(c.fields);
    if (used)
        *used = c.delim;
    if (st == MP_OK && note) {
        *note = text.note; /* how the text was read */
        text.note = NULL;
    }
    mpi_text_free(&text);
    free(buf);
    return st;
}

mp_status mpi_table_each(const char *path, char delim, mpi_row_fn fn, void *ctx, char **note)
{
    return table_each(path, delim, fn, ctx, note, NULL);
}

/* The table being filled by mpi_table_read. */
typedef struct table_fill {
    mpi_table *t;
    const char *path;
} table_fill;

/* A row kept in the table: its fields copied. */
static mp_status keep_row(void *ctx, char **fields, size_t n, int line)
{
    table_fill *tf = ctx;
    mpi_table *t = tf->t;
    void *arrays[] = {t->rows, t->ncols, t->line};
    const size_t sizes[] = {sizeof *t->rows, sizeof *t->ncols, sizeof *t->line};
    mp_status st = mpi_reserve_all(&t->cap, t->nrows + 1, 3, arrays, sizes);
    t->rows = arrays[0];
    t->ncols = arrays[1];
    t->line = arrays[2];
    char **row = st == MP_OK && n ? mpi_calloc(n, sizeof *row) : NULL;
    for (size_t i = 0; row && i < n; i++)
        if (!(row[i] = mpi_strdup(fields[i]))) {
            while (i > 0)
                free(row[--i]);
            free(row);
            row = NULL;
        }
    if (st != MP_OK || (n && !row))
        return mpi_fail(MP_ERR_NOMEM, N_("%s: out of memory while reading"), tf->path);
    t->rows[t->nrows] = row;
    t->ncols[t->nrows] = n;
    t->line[t->nrows++] = line;
    return MP_OK;
}

mp_status mpi_table_read(const char *path, char delim, mpi_table *t)
{
    memset(t, 0, sizeof *t);
    char *note = NULL;
    table_fill tf = {t, path};
    char used = 0;
    mp_status st = table_each(path, delim, keep_row, &tf, &note, &used);
    if (st != MP_OK) {
        mpi_table_free(t);
        return st;
    }
    t->note = note; /* the table keeps how it was read */
    t->delim = used;
    return MP_OK;
}
