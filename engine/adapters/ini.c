/* inih adapter: the only file that includes ini.h.
 *
 * inih reports no line numbers through its handler, so the file is fed to
 * ini_parse_stream() one line per reader call and the adapter counts lines.
 * Lines longer than inih's buffer are reported as errors instead of being
 * split silently; indented lines are reported as continuations. The text is
 * made UTF-8 first (mpi_text_decode), its note added to the caller's. */
#include "adapters.h"

#include <ini.h>
#include <stdlib.h>
#include <string.h>

typedef struct reader_state {
    const char *path;
    const char *buf;
    size_t len, pos;
    int line;
    int too_long_line;
    int indented; /* the line just read starts with white space */
    mpi_ini_handler h;
    void *user;
    mp_status stopped; /* what the handler returned when it stopped the parse */
    /* The last header's full text: inih keeps only the first 49 bytes of a
     * section name, which cut a long [constraint "..."] mid-name. */
    char section[INI_MAX_LINE];
} reader_state;

/* inih calls the handler for keys only, so a section without keys would
 * vanish: a header line (as inih reads it: not indented, the text between
 * "[" and the first "]") is reported to the handler with a NULL key before
 * inih parses it. Returns 0 when the handler stops the parse. */
static int report_section(reader_state *rs, char *line)
{
    if (rs->line == 1 && !strncmp(line, "\xEF\xBB\xBF", 3))
        line += 3;
    char *end = line[0] == '[' ? strchr(line, ']') : NULL;
    if (!end || rs->stopped != MP_OK)
        return rs->stopped == MP_OK;
    *end = '\0'; /* the section name in place, put back for inih */
    snprintf(rs->section, sizeof rs->section, "%s", line + 1);
    rs->stopped = rs->h(rs->user, line + 1, NULL, NULL, rs->line, 0);
    *end = ']';
    return rs->stopped == MP_OK;
}

static char *read_line(char *str, int num, void *stream)
{
    reader_state *rs = stream;
    if (rs->pos >= rs->len || num < 2)
        return NULL;
    const char *start = rs->buf + rs->pos;
    const char *nl = memchr(start, '\n', rs->len - rs->pos);
    size_t n = nl ? (size_t)(nl - start) + 1 : rs->len - rs->pos;
    rs->pos += n;
    rs->line++;
    rs->indented = n > 0 && (start[0] == ' ' || start[0] == '\t');
    if (n > (size_t)num - 2) {
        if (!rs->too_long_line)
            rs->too_long_line = rs->line;
        str[0] = '\n';
        str[1] = '\0';
        return str;
    }
    memcpy(str, start, n);
    str[n] = '\0';
    return report_section(rs, str) ? str : NULL;
}

static int on_value(void *user, const char *section, const char *name, const char *value)
{
    reader_state *rs = user;
    if (rs->stopped != MP_OK)
        return 0;
    /* inih's section is the header it read, cut to its buffer: the whole
     * header when it starts so */
    if (!strncmp(rs->section, section, strlen(section)))
        section = rs->section;
    rs->stopped = rs->h(rs->user, section, name, value, rs->line, rs->indented);
    return rs->stopped == MP_OK;
}

/* Parse UTF-8 text. */
static mp_status parse_text(const char *name, const char *text, size_t len, mpi_ini_handler h,
                            void *user)
{
    reader_state rs = {.path = name, .buf = text, .len = len, .h = h, .user = user};
    int rc = ini_parse_stream(read_line, &rs, on_value, &rs);
    if (rs.stopped != MP_OK)
        return rs.stopped; /* the handler set the message */
    if (rs.too_long_line)
        return mpi_fail(MP_ERR_LIMIT, N_("%s:%d: line longer than %d characters"), name,
                        rs.too_long_line, INI_MAX_LINE - 2);
    if (rc > 0)
        return mpi_fail(MP_ERR_INPUT,
                        N_("%s:%d: syntax error (expected [section], key = value or a comment)"),
                        name, rc);
    if (rc < 0)
        return mpi_fail(MP_ERR_NOMEM, N_("%s: out of memory while parsing"), name);
    return MP_OK;
}

mp_status mpi_ini_parse_buffer(const char *name, const char *text, size_t len, mpi_strlist *notes,
                               mpi_ini_handler h, void *user)
{
    mpi_text tx;
    mp_status st = mpi_text_decode(name, text, len, &tx);
    if (st == MP_OK && tx.note && notes)
        st = mpi_strlist_addf(notes, "%s", tx.note);
    if (st == MP_OK)
        st = parse_text(name, tx.p, tx.n, h, user);
    mpi_text_free(&tx);
    return st;
}

mp_status mpi_ini_parse(const char *path, mpi_strlist *notes, mpi_ini_handler h, void *user)
{
    char *buf = NULL;
    size_t len = 0;
    mp_status st = mpi_read_file(path, &buf, &len);
    if (st != MP_OK)
        return st;
    st = mpi_ini_parse_buffer(path, buf, len, notes, h, user);
    free(buf);
    return st;
}
