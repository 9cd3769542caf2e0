/* Status strings and the per-thread last error message. A message's format
 * is looked up in the catalogue of the thread's message language before it
 * is filled (mp_set_message_language()): the format is the msgid, so a
 * translated message keeps its arguments (msgfmt --check makes the French
 * directives agree with the English ones). A format no catalogue has shows
 * in English. */
#include "base.h"

#include <errno.h>
#include <stdarg.h>
#include <string.h>

static _Thread_local char last_error[2048];

const char *mp_strerror(mp_status status)
{
    switch (status) {
    case MP_OK: return mpi_tr(mpi_msg_lang(), N_("success"));
    case MP_ERR_INPUT: return mpi_tr(mpi_msg_lang(), N_("bad input"));
    case MP_ERR_IO: return mpi_tr(mpi_msg_lang(), N_("input/output error"));
    case MP_ERR_NOMEM: return mpi_tr(mpi_msg_lang(), N_("out of memory"));
    case MP_ERR_SOLVER: return mpi_tr(mpi_msg_lang(), N_("LP solver failure"));
    case MP_ERR_LIMIT: return mpi_tr(mpi_msg_lang(), N_("input exceeds a size limit"));
    case MP_ERR_INTERNAL: return mpi_tr(mpi_msg_lang(), N_("internal error"));
    }
    return mpi_tr(mpi_msg_lang(), N_("unknown status"));
}

const char *mp_last_error(void)
{
    return last_error;
}

void mpi_clear_error(void)
{
    last_error[0] = '\0';
}

mp_status mpi_fail(mp_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(last_error, sizeof last_error, mpi_tr(mpi_msg_lang(), fmt), ap);
    va_end(ap);
    if (n >= (int)sizeof last_error) /* cut short: not inside a character */
        last_error[mpi_utf8_floor(last_error, sizeof last_error - 1)] = '\0';
    mpi_utf8_scrub(last_error); /* a path or argument quoted as given */
    return st;
}

mp_status mpi_fail_at(mp_status st, const mpi_loc *loc, const char *fmt, ...)
{
    char msg[1536];
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(msg, sizeof msg, mpi_tr(mpi_msg_lang(), fmt), ap) >=
        (int)sizeof msg) /* not inside a character */
        msg[mpi_utf8_floor(msg, sizeof msg - 1)] = '\0';
    va_end(ap);
    if (!loc || !loc->file)
        return mpi_fail(st, "%s", msg);
    if (loc->line > 0 && loc->key)
        return mpi_fail(st, "%s:%d: %s: %s", loc->file, loc->line, loc->key, msg);
    if (loc->line > 0)
        return mpi_fail(st, "%s:%d: %s", loc->file, loc->line, msg);
    return mpi_fail(st, "%s: %s", loc->file, msg);
}

/* strerror() speaks the C library's locale, not ours: the errors a planner
 * meets opening or writing a file are worded in the catalogue, the rare
 * others left as the C library words them. */
const char *mpi_strerror(int err)
{
    const char *msg = NULL;
    switch (err) {
    case ENOENT: msg = N_("No such file or directory"); break;
    case EACCES: msg = N_("Permission denied"); break;
    case EPERM: msg = N_("Operation not permitted"); break;
    case EISDIR: msg = N_("Is a directory"); break;
    case ENOTDIR: msg = N_("Not a directory"); break;
    case ENOSPC: msg = N_("No space left on device"); break;
    case EROFS: msg = N_("Read-only file system"); break;
    case EDQUOT: msg = N_("Disk quota exceeded"); break;
    case EFBIG: msg = N_("File too large"); break;
    case EIO: msg = N_("Input/output error"); break;
    case ELOOP: msg = N_("Too many levels of symbolic links"); break;
    case ENAMETOOLONG: msg = N_("File name too long"); break;
    case EEXIST: msg = N_("File exists"); break;
    case EBUSY: msg = N_("Device or resource busy"); break;
    }
    const char *t = msg ? mpi_tr(mpi_msg_lang(), msg) : NULL;
    return t && t != msg ? t : strerror(err); /* untranslated: the C library's own words */
}

mp_status mpi_nomem(void)
{
    return mpi_fail(MP_ERR_NOMEM, N_("out of memory"));
}
