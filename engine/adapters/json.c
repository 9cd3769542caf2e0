/* The JSON adapter (json.h): a streaming writer of the text cJSON_Print gives
 * for the same document. A document is its text so far and the stack of the
 * containers still open; nothing is kept per value, so a result of a million
 * keywords costs its text (or a buffer, when streamed) and no tree.
 *
 * The layout is cJSON's: an object opens "{\n", each member sits on its own
 * line indented by one tab per level, "key":<tab>value, and the object closes
 * on a line indented one level less; an array stays on one line, its values
 * separated by ", "; the root is an object and the text ends with a newline. */
#include "json.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <float.h>
#include <locale.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Deeper than any document of mixplan's (six levels). */
#define MAX_DEPTH 32
/* The buffer of a streamed document: flushed to its stream when full. */
#define STREAM_BUFFER (1 << 16)

typedef struct frame {
    unsigned long id; /* the node handle of this container */
    int array;
    size_t count; /* values in it so far */
} frame;

struct mpi_json {
    char *text;
    size_t len, cap;
    FILE *out; /* streamed: the text is flushed here; NULL: kept */
    int nomem; /* an allocation failed: the document is incomplete */
    int bad;   /* a value was added to a closed container */
    int io;    /* writing to out failed (errno in io_errno) */
    int io_errno;
    frame open[MAX_DEPTH];
    size_t depth; /* open containers, the root included */
    unsigned long next_id;
};

/* A container's handle is its serial number, never dereferenced: a stale
 * handle (a container closed since) is recognised, never followed. */
static mpi_json_node *handle(unsigned long id)
{
    return (mpi_json_node *)(uintptr_t)id;
}

static unsigned long id_of(const mpi_json_node *n)
{
    return (unsigned long)(uintptr_t)n;
}

/* ---- the text ----------------------------------------------------------- */

static void flush_out(mpi_json *j)
{
    if (j->out && j->len && !j->io) {
        errno = 0;
        if (fwrite(j->text, 1, j->len, j->out) != j->len) {
            j->io = 1;
            j->io_errno = errno;
        }
    }
    j->len = 0;
}

/* Room for n more bytes; 0 when out of memory (the document is marked). */
static int room(mpi_json *j, size_t n)
{
    if (j->len + n <= j->cap)
        return 1;
    if (j->out) {
        flush_out(j);
        if (n <= j->cap)
            return 1;
    }
    void *p = mpi_reserve(j->text, &j->cap, j->len + n, 1);
    if (!p) {
        j->nomem = 1;
        return 0;
    }
    j->text = p;
    return 1;
}

static void put(mpi_json *j, const char *s, size_t n)
{
    if (room(j, n)) {
        memcpy(j->text + j->len, s, n);
        j->len += n;
    }
}

static void put_tabs(mpi_json *j, size_t n)
{
    if (room(j, n)) {
        memset(j->text + j->len, '\t', n);
        j->len += n;
    }
}

/* A string, quoted and escaped as cJSON escapes it: the quote, the backslash
 * and the control characters; UTF-8 as is. */
static void put_string(mpi_json *j, const char *s)
{
    put(j, "\"", 1);
    const char *run = s;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 32 && c != '"' && c != '\\')
            continue;
        put(j, run, (size_t)(s - run));
        run = s + 1;
        char esc[8];
        const char *two = c == '"'    ? "\\\""
                          : c == '\\' ? "\\\\"
                          : c == '\b' ? "\\b"
                          : c == '\f' ? "\\f"
                          : c == '\n' ? "\\n"
                          : c == '\r' ? "\\r"
                          : c == '\t' ? "\\t"
                                      : NULL;
        if (two)
            put(j, two, 2);
        else
            put(j, esc, (size_t)snprintf(esc, sizeof esc, "\\u%04x", c));
    }
    put(j, run, (size_t)(s - run));
    put(j, "\"", 1);
}

/* ---- numbers ------------------------------------------------------------ */

/* GCC and Clang on 64-bit targets: exact products of a 53-bit mantissa and
 * a power of ten up to 10^22. */
__extension__ typedef unsigned __int128 u128;

/* 10^k for k <= 22 (exact in 74 bits). */
static u128 pow10_u128(int k)
{
    static const uint64_t small[20] = {1ULL,
                                       10ULL,
                                       100ULL,
                                       1000ULL,
                                       10000ULL,
                                       100000ULL,
                                       1000000ULL,
                                       10000000ULL,
                                       100000000ULL,
                                       1000000000ULL,
                                       10000000000ULL,
                                       100000000000ULL,
                                       1000000000000ULL,
                                       10000000000000ULL,
                                       100000000000000ULL,
                                       1000000000000000ULL,
                                       10000000000000000ULL,
                                       100000000000000000ULL,
                                       1000000000000000000ULL,
                                       10000000000000000000ULL};
    return k < 20 ? (u128)small[k] : (u128)small[19] * small[k - 19];
}

/* v = m * 2^e exactly, m of 53 bits; 0 for zero, subnormal or not finite. */
static int split_double(double v, uint64_t *m, int *e)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    int ef = (int)((bits >> 52) & 0x7FF);
    if (ef == 0 || ef == 0x7FF)
        return 0;
    *m = (bits & ((1ULL << 52) - 1)) | (1ULL << 52);
    *e = ef - 1075;
    return 1;
}

/* |v| (= m * 2^e) rounded to p significant digits, exactly: *digits (p of
 * them) and the decimal exponent *x of the first; *delta is the rounded value
 * minus |v| in units of 2^-s / 10^k (see the caller) and *scale 10^k. 0 when
 * out of the exact range here (128-bit integers) or on an exact tie. */
static int round_digits(uint64_t m, int e, int p, uint64_t *digits, int *x, u128 *delta_abs,
                        int *up, u128 *scale)
{
    int s = -e;
    if (s < 1 || s > 126)
        return 0;
    /* first guess of the exponent from the binary one, then corrected */
    int guess = (int)((52 - s) * 0.30102999566398119521);
    const uint64_t lo = p == 15 ? 100000000000000ULL : 10000000000000000ULL;
    for (int tries = 0; tries < 4; tries++) {
        int k = p - 1 - guess;
        if (k < 0 || k > 22)
            return 0;
        u128 pk = pow10_u128(k), n = (u128)m * pk;
        u128 q = n >> s, rem = n & (((u128)1 << s) - 1), half = (u128)1 << (s - 1);
        if (rem == half)
            return 0; /* an exact tie: printf's rule, not re-derived here */
        if (q < lo) { /* the scale from the digits before rounding */
            guess--;
            continue;
        }
        if (q >= (u128)lo * 10) {
            guess++;
            continue;
        }
        int round_up = rem > half;
        q += (u128)round_up;
        if (q == (u128)lo * 10) { /* 9.99..95 up to 10.0..0: one more digit before the point */
            q = lo;
            guess++;
        }
        *digits = (uint64_t)q;
        *x = guess;
        *up = round_up;
        *delta_abs = round_up ? ((u128)1 << s) - rem : rem;
        *scale = pk;
        return 1;
    }
    return 0;
}

/* Whether the p-digit value reads back (strtod: the nearest double) within
 * what cJSON's compare_double accepts: |test - v| <= max(|test|,|v|) * eps.
 * The distance is delta_abs / scale units in the last place of v, upwards
 * when up; -1 when that is a tie or crosses a power of two (the slow way
 * decides). */
static int reads_back(uint64_t m, u128 delta_abs, u128 scale, int up)
{
    u128 twice = delta_abs * 2;
    u128 jj = twice / scale; /* 2 * distance in ulps, floored */
    if (twice % scale == 0 && (jj & 1))
        return -1;
    uint64_t ulps = (uint64_t)((jj + 1) / 2);
    if (ulps == 0)
        return 1;
    if (m - ulps < (1ULL << 52) || m + ulps >= (1ULL << 53))
        return -1;
    /* test is v moved by ulps units: |test - v| = ulps * 2^e, and the larger
     * of the two magnitudes is (m + ulps) * 2^e upwards, m * 2^e downwards */
    return (u128)ulps << 52 <= (u128)(up ? m + ulps : m);
}

/* p digits with exponent x as %g writes them: fixed when -4 <= x < p, else
 * d.ddde+XX; trailing zeros (and a bare point) dropped. */
static size_t g_style(char *buf, int neg, uint64_t digits, int x, int p)
{
    char d[20];
    int left = p;
    for (; left >= 2; left -= 2, digits /= 100) { /* two at a time: half the divisions */
        unsigned r = (unsigned)(digits % 100);
        d[left - 1] = (char)('0' + r % 10);
        d[left - 2] = (char)('0' + r / 10);
    }
    if (left)
        d[0] = (char)('0' + digits);
    int nd = p;
    while (nd > 1 && d[nd - 1] == '0')
        nd--;
    size_t o = 0;
    if (neg)
        buf[o++] = '-';
    if (x < -4 || x >= p) {
        buf[o++] = d[0];
        if (nd > 1) {
            buf[o++] = '.';
            memcpy(buf + o, d + 1, (size_t)nd - 1);
            o += (size_t)nd - 1;
        }
        o += (size_t)snprintf(buf + o, 8, "e%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    } else if (x < 0) {
        buf[o++] = '0';
        buf[o++] = '.';
        for (int i = -1; i > x; i--)
            buf[o++] = '0';
        memcpy(buf + o, d, (size_t)nd);
        o += (size_t)nd;
    } else {
        int whole = x + 1;
        for (int i = 0; i < whole; i++)
            buf[o++] = i < nd ? d[i] : '0';
        if (nd > whole) {
            buf[o++] = '.';
            memcpy(buf + o, d + whole, (size_t)(nd - whole));
            o += (size_t)(nd - whole);
        }
    }
    buf[o] = '\0';
    return o;
}

/* cJSON's own way, through printf and strtod: the reference, and the path
 * for what the exact integer one leaves out. */
static size_t slow_number(char *buf, double v)
{
    int n = snprintf(buf, MPI_JSON_NUM_MAX, "%1.15g", v);
    char dp = *localeconv()->decimal_point;
    char *end;
    double test = strtod(buf, &end);
    double max = fabs(test) > fabs(v) ? fabs(test) : fabs(v);
    if (!(fabs(test - v) <= max * DBL_EPSILON))
        n = snprintf(buf, MPI_JSON_NUM_MAX, "%1.17g", v);
    for (int i = 0; i < n; i++)
        if (buf[i] == dp)
            buf[i] = '.';
    return (size_t)n;
}

/* The p-digit rendering the exact way, when it applies (0 otherwise);
 * *ok: whether it reads back (15 digits only). */
static size_t fast_number(char *buf, double v, int p, int *ok)
{
    uint64_t m, digits;
    int e, x, up;
    u128 delta, scale;
    if (!split_double(v, &m, &e) || !round_digits(m, e, p, &digits, &x, &delta, &up, &scale))
        return 0;
    if (ok) {
        *ok = reads_back(m, delta, scale, up);
        if (*ok < 0)
            return 0;
    }
    return g_style(buf, v < 0, digits, x, p);
}

/* An integer below 10^15 in magnitude: all its digits, as %.15g writes it
 * (-0 keeps its sign). */
static size_t integer_number(char *buf, double v)
{
    char d[24];
    size_t n = 0, o = 0;
    uint64_t u = (uint64_t)fabs(v);
    do {
        d[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (signbit(v))
        buf[o++] = '-';
    while (n)
        buf[o++] = d[--n];
    buf[o] = '\0';
    return o;
}

size_t mpi_json_format_number(char buf[MPI_JSON_NUM_MAX], double v)
{
    if (!isfinite(v)) {
        memcpy(buf, "null", 5);
        return 4;
    }
    if (fabs(v) < 1e15 && v == floor(v))
        return integer_number(buf, v);
    int ok = 0;
    size_t n = fast_number(buf, v, 15, &ok);
    if (n && ok)
        return n;
    if (n) {
        n = fast_number(buf, v, 17, NULL);
        if (n)
            return n;
    }
    return slow_number(buf, v);
}

/* ---- containers --------------------------------------------------------- */

static mpi_json *new_doc(FILE *out)
{
    mpi_json *j = mpi_calloc(1, sizeof *j);
    if (!j)
        return NULL;
    j->out = out;
    if (out) {
        j->text = mpi_malloc(STREAM_BUFFER);
        j->cap = STREAM_BUFFER;
        if (!j->text) {
            free(j);
            return NULL;
        }
    }
    j->open[0] = (frame){.id = 1};
    j->depth = 1;
    j->next_id = 2;
    put(j, "{\n", 2);
    if (j->nomem) {
        mpi_json_free(j);
        return NULL;
    }
    return j;
}

mpi_json *mpi_json_new(void)
{
    return new_doc(NULL);
}

mpi_json *mpi_json_new_to(FILE *out)
{
    return out ? new_doc(out) : NULL;
}

void mpi_json_free(mpi_json *j)
{
    if (!j)
        return;
    free(j->text);
    free(j);
}

mpi_json_node *mpi_json_root(mpi_json *j)
{
    return j ? handle(1) : NULL;
}

/* The text that closes open container i (at stack index i, depth i + 1). */
static void close_text(mpi_json *j, const frame *f, size_t i)
{
    if (f->array) {
        put(j, "]", 1);
        return;
    }
    if (f->count)
        put(j, "\n", 1);
    put_tabs(j, i);
    put(j, "}", 1);
}

/* Close the containers opened inside parent and start a value in it: its
 * separator, and for an object member its indent and key. 0 when the value
 * is not to be written (no document, a failure, a closed parent). */
static int begin_value(mpi_json *j, const mpi_json_node *parent, const char *key)
{
    if (!j || !parent || j->nomem || j->bad)
        return 0;
    unsigned long id = id_of(parent);
    size_t d = j->depth;
    while (d > 0 && j->open[d - 1].id != id)
        d--;
    if (d == 0) {
        j->bad = 1;
        return 0;
    }
    while (j->depth > d) {
        j->depth--;
        close_text(j, &j->open[j->depth], j->depth);
    }
    frame *f = &j->open[d - 1];
    if (f->array != (key == NULL)) {
        j->bad = 1;
        return 0;
    }
    if (f->count++)
        put(j, f->array ? ", " : ",\n", 2);
    if (!f->array) {
        put_tabs(j, d);
        put_string(j, key);
        put(j, ":\t", 2);
    }
    return !j->nomem;
}

static mpi_json_node *open_container(mpi_json *j, mpi_json_node *parent, const char *key, int array)
{
    if (!begin_value(j, parent, key))
        return NULL;
    if (j->depth == MAX_DEPTH) {
        j->bad = 1;
        return NULL;
    }
    put(j, array ? "[" : "{\n", array ? 1 : 2);
    j->open[j->depth++] = (frame){.id = j->next_id, .array = array};
    return handle(j->next_id++);
}

mpi_json_node *mpi_json_object(mpi_json *j, mpi_json_node *parent, const char *key)
{
    return open_container(j, parent, key, 0);
}

mpi_json_node *mpi_json_array(mpi_json *j, mpi_json_node *parent, const char *key)
{
    return open_container(j, parent, key, 1);
}

void mpi_json_num(mpi_json *j, mpi_json_node *parent, const char *key, double v)
{
    if (!begin_value(j, parent, key))
        return;
    char buf[MPI_JSON_NUM_MAX];
    put(j, buf, mpi_json_format_number(buf, v));
}

void mpi_json_str(mpi_json *j, mpi_json_node *parent, const char *key, const char *s)
{
    if (!s) {
        if (begin_value(j, parent, key))
            put(j, "null", 4);
        return;
    }
    /* Text is checked where it enters mixplan; should any get past that, a
     * JSON reader refuses a document that is not UTF-8 (the rare copy). */
    char *clean = NULL;
    if (!mpi_utf8_valid(s)) {
        if (!(clean = mpi_strdup(s))) {
            if (j)
                j->nomem = 1;
            return;
        }
        mpi_utf8_scrub(clean);
    }
    if (begin_value(j, parent, key))
        put_string(j, clean ? clean : s);
    free(clean);
}

void mpi_json_bool(mpi_json *j, mpi_json_node *parent, const char *key, int b)
{
    if (begin_value(j, parent, key))
        put(j, b ? "true" : "false", b ? 4 : 5);
}

/* ---- writing ------------------------------------------------------------ */

/* What closes every open container, and the final newline, into tail (room
 * for MAX_DEPTH closings); its length. */
static size_t tail_text(const mpi_json *j, char *tail)
{
    size_t o = 0;
    for (size_t i = j->depth; i-- > 0;) {
        const frame *f = &j->open[i];
        if (f->array) {
            tail[o++] = ']';
            continue;
        }
        if (f->count)
            tail[o++] = '\n';
        memset(tail + o, '\t', i);
        o += i;
        tail[o++] = '}';
    }
    tail[o++] = '\n';
    return o;
}

/* The status of a finished or kept document before it is written. */
static mp_status doc_status(const mpi_json *j)
{
    if (!j || j->nomem)
        return mpi_nomem();
    if (j->bad)
        return mpi_fail(MP_ERR_INTERNAL, N_("a JSON value was added out of order"));
    return MP_OK;
}

static int put_all(const mpi_json *j, FILE *f)
{
    char tail[MAX_DEPTH * (MAX_DEPTH + 2) + 2];
    size_t n = tail_text(j, tail);
    return fwrite(j->text, 1, j->len, f) == j->len && fwrite(tail, 1, n, f) == n;
}

mp_status mpi_json_write_to(const mpi_json *j, FILE *out)
{
    mp_status st = doc_status(j);
    if (st != MP_OK)
        return st;
    if (!put_all(j, out) || fflush(out) != 0)
        return mpi_fail(MP_ERR_IO, N_("cannot write JSON to the stream"));
    return MP_OK;
}

mp_status mpi_json_write(const mpi_json *j, const char *path)
{
    mp_status st = doc_status(j);
    if (st != MP_OK)
        return st;
    mpi_atomic a;
    st = mpi_atomic_begin(path, "JSON", &a);
    if (st != MP_OK)
        return st;
    errno = 0;
    FILE *f = fopen(a.tmp, "wb");
    int ok = f && put_all(j, f);
    int err = errno;
    if (f && fclose(f) != 0) {
        if (ok)
            err = errno;
        ok = 0;
    }
    if (!ok)
        st = mpi_write_error(path, "JSON", err, "write failed");
    mp_status st2 = mpi_atomic_end(&a, path, ok);
    return st == MP_OK ? st2 : st;
}

mp_status mpi_json_finish(mpi_json *j)
{
    mp_status st = doc_status(j);
    if (st != MP_OK)
        return st;
    char tail[MAX_DEPTH * (MAX_DEPTH + 2) + 2];
    size_t n = tail_text(j, tail);
    j->depth = 0;
    put(j, tail, n);
    flush_out(j);
    if (j->nomem)
        return mpi_nomem();
    if (!j->io && fflush(j->out) != 0) {
        j->io = 1;
        j->io_errno = errno;
    }
    if (!j->io)
        return MP_OK;
    mpi_fail(MP_ERR_IO, N_("cannot write JSON to the stream"));
    errno = j->io_errno; /* why, for a caller that names the file */
    return MP_ERR_IO;
}

/* Stream a document into f, an open file; its status. */
static mp_status stream_into(FILE *f, mpi_json_build build, const void *arg)
{
    mpi_json *j = mpi_json_new_to(f);
    if (!j)
        return mpi_nomem();
    build(j, mpi_json_root(j), arg);
    mp_status st = mpi_json_finish(j);
    mpi_json_free(j);
    return st;
}

mp_status mpi_json_stream(const char *path, FILE *out, mpi_json_build build, const void *arg)
{
    if (!path)
        return stream_into(out, build, arg);
    mpi_atomic a;
    mp_status st = mpi_atomic_begin(path, "JSON", &a);
    if (st != MP_OK)
        return st;
    errno = 0;
    FILE *f = fopen(a.tmp, "wb");
    if (!f)
        st = mpi_write_error(path, "JSON", errno, "write failed");
    else
        st = stream_into(f, build, arg);
    int err = errno;
    if (f && fclose(f) != 0 && st == MP_OK) {
        err = errno;
        st = MP_ERR_IO;
    }
    if (st == MP_ERR_IO)
        st = mpi_write_error(path, "JSON", err, "write failed");
    mp_status st2 = mpi_atomic_end(&a, path, st == MP_OK);
    return st == MP_OK ? st2 : st;
}

/* ---- reading ---------------------------------------------------------- */

struct mpi_jdoc {
    cJSON *root;
};

/* cJSON allocates through engine/base's allocator (failure injection sees
 * its allocations too); set before each parse, the hooks being cJSON's
 * process-wide state. cJSON says nothing of an allocation that failed (the
 * parse just stops): the hook notes it, for this thread's parse. */
static _Thread_local int cjson_nomem;

static void *cjson_malloc(size_t n)
{
    void *p = mpi_malloc(n);
    if (!p)
        cjson_nomem = 1;
    return p;
}

static void use_our_allocator(void)
{
    cJSON_Hooks h = {cjson_malloc, free};
    cJSON_InitHooks(&h);
}

/* Line and column (1-based) of byte at in text. */
static void where_in(const char *text, const char *at, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (const char *p = text; p < at && *p; p++) {
        if (*p == '\n') {
            (*line)++;
            *col = 1;
        } else if (((unsigned char)*p & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

mp_status mpi_jdoc_read(const char *path, mpi_jdoc **out)
{
    *out = NULL;
    char *text;
    size_t len;
    mp_status st = mpi_read_file(path, &text, &len);
    if (st != MP_OK)
        return st;
    mpi_jdoc *d = mpi_calloc(1, sizeof *d);
    if (!d) {
        free(text);
        return mpi_nomem();
    }
    use_our_allocator();
    const char *end = NULL;
    cjson_nomem = 0;
    d->root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
    if (!d->root && cjson_nomem) {
        st = mpi_nomem();
    } else if (!d->root) {
        int line, col;
        where_in(text, end ? end : text, &line, &col);
        mpi_loc loc = {path, line, NULL};
        st = mpi_fail_at(MP_ERR_INPUT, &loc, N_("not valid JSON (column %d)"), col);
    }
    free(text);
    if (st != MP_OK) {
        free(d);
        return st;
    }
    *out = d;
    return MP_OK;
}

void mpi_jdoc_free(mpi_jdoc *d)
{
    if (!d)
        return;
    use_our_allocator();
    cJSON_Delete(d->root);
    free(d);
}

const mpi_jval *mpi_jdoc_root(const mpi_jdoc *d)
{
    return d ? (const mpi_jval *)d->root : NULL;
}

const mpi_jval *mpi_jval_get(const mpi_jval *obj, const char *key)
{
    const cJSON *o = (const cJSON *)obj;
    if (!cJSON_IsObject(o))
        return NULL;
    return (const mpi_jval *)cJSON_GetObjectItemCaseSensitive(o, key);
}

size_t mpi_jval_count(const mpi_jval *arr)
{
    const cJSON *a = (const cJSON *)arr;
    return cJSON_IsArray(a) ? (size_t)cJSON_GetArraySize(a) : 0;
}

const mpi_jval *mpi_jval_at(const mpi_jval *arr, size_t i)
{
    const cJSON *a = (const cJSON *)arr;
    if (!cJSON_IsArray(a) || i > (size_t)INT32_MAX)
        return NULL;
    return (const mpi_jval *)cJSON_GetArrayItem(a, (int)i);
}

/* v itself, or the one value of an array of one (a scalar as jsonlite writes it). */
static const cJSON *unboxed(const mpi_jval *v)
{
    const cJSON *c = (const cJSON *)v;
    if (cJSON_IsArray(c) && cJSON_GetArraySize(c) == 1)
        return cJSON_GetArrayItem(c, 0);
    return c;
}

int mpi_jval_num(const mpi_jval *v, double *out)
{
    const cJSON *c = unboxed(v);
    if (!cJSON_IsNumber(c))
        return -1;
    *out = c->valuedouble;
    return 0;
}

const char *mpi_jval_str(const mpi_jval *v)
{
    const cJSON *c = unboxed(v);
    return cJSON_IsString(c) ? c->valuestring : NULL;
}
