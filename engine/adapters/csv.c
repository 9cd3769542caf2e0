/* libcsv adapter: the only file that includes csv.h. Reads a whole delimited
 * file into rows of NUL-terminated fields with their source line numbers,
 * after mpi_text_decode() has made its text UTF-8. */
#include "adapters.h"

#include <csv.h>
#include <stdlib.h>
#include <string.h>

typedef struct collect {
    mpi_table *t;
    char **fields;
    size_t nf, capf;
    int line, row_line;
    int oom;
} collect;

static void on_field(void *s, size_t len, void *data)
{
    collect *c = data;
    if (c->oom)
        return;
    /* A row starts where its first field does: a quoted field may span lines,
     * and libcsv hands it over on the line where it ends. */
    if (c->nf == 0) {
        c->row_line = c->line;
        for (size_t i = 0; s && i < len; i++)
            c->row_line -= ((const char *)s)[i] == '\n';
    }
    char **nf = mpi_reserve(c->fields, &c->capf, c->nf + 1, sizeof *nf);
    char *f = mpi_strndup(s ? s : "", s ? len : 0);
    if (!nf || !f) {
        free(f);
        if (nf)
            c->fields = nf;
        c->oom = 1;
        return;
    }
    c->fields = nf;
    c->fields[c->nf++] = f;
}

static void on_row(int term, void *data)
{
    (void)term;
    collect *c = data;
    if (c->oom)
        return;
    mpi_table *t = c->t;
    void *arrays[] = {t->rows, t->ncols, t->line};
    const size_t sizes[] = {sizeof *t->rows, sizeof *t->ncols, sizeof *t->line};
    mp_status st = mpi_reserve_all(&t->cap, t->nrows + 1, 3, arrays, sizes);
    t->rows = arrays[0];
    t->ncols = arrays[1];
    t->line = arrays[2];
    if (st != MP_OK) {
        c->oom = 1;
        return;
    }
    t->rows[t->nrows] = c->fields;
    t->ncols[t->nrows] = c->nf;
    t->line[t->nrows] = c->nf ? c->row_line : c->line;
    t->nrows++;
    c->fields = NULL;
    c->nf = c->capf = 0;
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

/* Parse text into t, line by line so that each row knows the line it starts
 * on. libcsv allocates through the base allocator. */
static mp_status parse_rows(const char *path, const char *p, size_t n, char delim, mpi_table *t)
{
    struct csv_parser cp;
    if (csv_init(&cp, CSV_APPEND_NULL) != 0)
        return mpi_fail(MP_ERR_NOMEM, N_("%s: out of memory"), path);
    csv_set_realloc_func(&cp, mpi_realloc);
    csv_set_delim(&cp, (unsigned char)(delim ? delim : detect_delim(p, n)));
    csv_set_space_func(&cp, is_space);
    csv_set_term_func(&cp, is_term);
    collect c = {.t = t, .line = 1};
    size_t pos = 0;
    while (pos < n && !c.oom) {
        const char *nl = memchr(p + pos, '\n', n - pos);
        size_t chunk = nl ? (size_t)(nl - (p + pos)) + 1 : n - pos;
        if (csv_parse(&cp, p + pos, chunk, on_field, on_row, &c) != chunk) {
            c.oom = 1;
            break;
        }
        pos += chunk;
        if (nl) /* a last line without a line break ends at csv_fini, on this line */
            c.line++;
    }
    if (!c.oom && csv_fini(&cp, on_field, on_row, &c) != 0)
        c.oom = 1;
    csv_free(&cp);
    for (size_t i = 0; i < c.nf; i++)
        free(c.fields[i]);
    free(c.fields);
    if (c.oom) {
        mpi_table_free(t);
        return mpi_fail(MP_ERR_NOMEM, N_("%s: out of memory while reading"), path);
    }
    return MP_OK;
}

mp_status mpi_table_read(const char *path, char delim, mpi_table *t)
{
    memset(t, 0, sizeof *t);
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
    if (st == MP_OK)
        st = parse_rows(path, text.p, text.n, delim, t);
    if (st == MP_OK) {
        t->note = text.note; /* the table keeps how it was read */
        text.note = NULL;
    }
    mpi_text_free(&text);
    free(buf);
    return st;
}
