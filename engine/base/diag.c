/* Lists of strings: warnings and notes for the planner, keyword group names. */
#include "base.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* fmt is filled as the thread's message language writes it (error.c says
 * how); a list of names (mpi_strlist_addf) is not translated. */
MPI_PRINTF(2, 0) static mp_status list_addv(mpi_strlist *l, const char *fmt, va_list ap)
{
    char buf[1024];
    if (vsnprintf(buf, sizeof buf, fmt, ap) >= (int)sizeof buf) /* not inside a character */
        buf[mpi_utf8_floor(buf, sizeof buf - 1)] = '\0';
    mpi_utf8_scrub(buf);
    char **v = mpi_reserve(l->v, &l->cap, l->n + 1, sizeof *v);
    if (!v)
        return mpi_nomem();
    l->v = v;
    char *s = mpi_strdup(buf);
    if (!s)
        return mpi_nomem();
    l->v[l->n++] = s;
    return MP_OK;
}

mp_status mpi_strlist_addf(mpi_strlist *l, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mp_status st = list_addv(l, fmt, ap);
    va_end(ap);
    return st;
}

mp_status mpi_strlist_intern(mpi_strlist *l, const char *name, size_t max, int *index)
{
    for (size_t i = 0; i < l->n; i++)
        if (!strcmp(l->v[i], name)) {
            *index = (int)i;
            return MP_OK;
        }
    if (l->n >= max)
        return mpi_fail(MP_ERR_LIMIT, N_("more than %zu names"), max);
    mp_status st = mpi_strlist_addf(l, "%s", name);
    if (st == MP_OK)
        *index = (int)l->n - 1;
    return st;
}

void mpi_strlist_free(mpi_strlist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
    memset(l, 0, sizeof *l);
}

mp_status mpi_warn(mpi_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mp_status st = list_addv(&d->warn, mpi_tr(mpi_msg_lang(), fmt), ap);
    va_end(ap);
    return st;
}

mp_status mpi_note(mpi_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mp_status st = list_addv(&d->notes, mpi_tr(mpi_msg_lang(), fmt), ap);
    va_end(ap);
    return st;
}

void mpi_diag_free(mpi_diag *d)
{
    if (!d)
        return;
    mpi_strlist_free(&d->warn);
    mpi_strlist_free(&d->notes);
}
