/* Lists of strings: warnings and notes for the planner, keyword group names.
 *
 * A warning or note is formed once in each catalogue language when it is
 * added: the terminal and the JSON read it in the message language of the
 * thread that formed it (error.c says how a format is looked up), a
 * workbook in its own language (--lang, [plan] language), which need not be
 * the terminal's. A list of names (mpi_strlist_addf) is not translated. */
#include "base.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* fmt filled with ap, cut at a character boundary, invalid UTF-8 scrubbed;
 * an owned copy, NULL when out of memory. */
MPI_PRINTF(1, 0) static char *form(const char *fmt, va_list ap)
{
    char buf[1024];
    if (vsnprintf(buf, sizeof buf, fmt, ap) >= (int)sizeof buf) /* not inside a character */
        buf[mpi_utf8_floor(buf, sizeof buf - 1)] = '\0';
    mpi_utf8_scrub(buf);
    return mpi_strdup(buf);
}

/* Room for one more entry (and its translations when tr). */
static mp_status grow(mpi_strlist *l, int tr)
{
    char **v = mpi_reserve(l->v, &l->cap, l->n + 1, sizeof *v);
    if (!v)
        return mpi_nomem();
    l->v = v;
    if (tr || l->tr) {
        mpi_texts *t = mpi_reserve(l->tr, &l->tr_cap, l->n + 1, sizeof *t);
        if (!t)
            return mpi_nomem();
        l->tr = t;
        memset(&l->tr[l->n], 0, sizeof l->tr[l->n]);
    }
    return MP_OK;
}

MPI_PRINTF(2, 0) static mp_status list_addv(mpi_strlist *l, const char *fmt, va_list ap)
{
    if (grow(l, 0) != MP_OK)
        return MP_ERR_NOMEM;
    char *s = form(fmt, ap);
    if (!s)
        return mpi_nomem();
    l->v[l->n++] = s;
    return MP_OK;
}

/* Append texts[lang] for each language; v reads the message language's. */
static mp_status list_add_texts(mpi_strlist *l, const char *const texts[MPI_NLANG])
{
    if (grow(l, 1) != MP_OK)
        return MP_ERR_NOMEM;
    mpi_texts t = {0};
    char *own = NULL;
    int ok = 1;
    for (int g = 0; g < MPI_NLANG; g++)
        ok = ok && (t[g] = mpi_strdup(texts[g] ? texts[g] : "")) != NULL;
    ok = ok && (own = mpi_strdup(t[mpi_msg_lang()])) != NULL;
    if (!ok) {
        for (int g = 0; g < MPI_NLANG; g++)
            free(t[g]);
        return mpi_nomem();
    }
    memcpy(&l->tr[l->n], &t, sizeof t);
    l->v[l->n++] = own;
    return MP_OK;
}

/* Whether l holds texts already, in every language. */
static int list_has(const mpi_strlist *l, char *const texts[MPI_NLANG])
{
    for (size_t i = 0; l->tr && i < l->n; i++) {
        int same = 1;
        for (int g = 0; same && g < MPI_NLANG; g++)
            same = l->tr[i][g] && !strcmp(l->tr[i][g], texts[g]);
        if (same)
            return 1;
    }
    return 0;
}

/* fmt (a msgid) filled in each catalogue language with the same arguments;
 * once only when unique (a note said twice, e.g. two channels reading the
 * same export, reads as a repeated line). */
MPI_PRINTF(3, 0)
static mp_status list_add_each(mpi_strlist *l, int unique, const char *fmt, va_list ap)
{
    char *t[MPI_NLANG] = {0};
    mp_status st = MP_OK;
    for (int g = 0; g < MPI_NLANG && st == MP_OK; g++) {
        va_list aq;
        va_copy(aq, ap);
        t[g] = form(mpi_tr((mpi_lang)g, fmt), aq);
        va_end(aq);
        if (!t[g])
            st = mpi_nomem();
    }
    if (st == MP_OK && !(unique && list_has(l, t)))
        st = list_add_texts(l, (const char *const *)t);
    for (int g = 0; g < MPI_NLANG; g++)
        free(t[g]);
    return st;
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

const char *mpi_strlist_text(const mpi_strlist *l, size_t i, mpi_lang lang)
{
    if (!l || i >= l->n)
        return NULL;
    if (l->tr && (unsigned)lang < MPI_NLANG && l->tr[i][lang])
        return l->tr[i][lang];
    return l->v[i];
}

void mpi_strlist_free(mpi_strlist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i]);
        for (int g = 0; l->tr && g < MPI_NLANG; g++)
            free(l->tr[i][g]);
    }
    free(l->v);
    free(l->tr);
    memset(l, 0, sizeof *l);
}

mp_status mpi_warn(mpi_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mp_status st = list_add_each(&d->warn, 0, fmt, ap);
    va_end(ap);
    return st;
}

mp_status mpi_warn_texts(mpi_diag *d, const char *const texts[MPI_NLANG])
{
    return list_add_texts(&d->warn, texts);
}

mp_status mpi_note(mpi_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    mp_status st = list_add_each(&d->notes, 1, fmt, ap);
    va_end(ap);
    return st;
}

mp_status mpi_note_texts(mpi_diag *d, const char *const texts[MPI_NLANG])
{
    if (list_has(&d->notes, (char *const *)texts))
        return MP_OK;
    return list_add_texts(&d->notes, texts);
}

void mpi_diag_free(mpi_diag *d)
{
    if (!d)
        return;
    mpi_strlist_free(&d->warn);
    mpi_strlist_free(&d->notes);
}
