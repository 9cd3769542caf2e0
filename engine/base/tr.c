/* The message catalogue: every user-facing string of the workbook and the
 * terminal summary, looked up by its English text (the msgid) in the
 * catalogue of a language.
 *
 * Why not gettext() / uselocale(): the workbook's language is chosen per
 * call (--lang, [plan] language), independently of the terminal, and the
 * library is embeddable and thread-safe. gettext() reads the process-global
 * locale (setlocale, LANGUAGE) and textdomain state, so two threads writing
 * workbooks in two languages would race, and an embedding program's own
 * locale would leak into our files; uselocale() is per thread but needs the
 * fr_FR locale to be installed on the machine (it is not on a minimal
 * server or container) and the .mo files to be found at run time in an
 * installed path. So the catalogues are written as GNU gettext .po files
 * (po/fr.po, the template po/mixplan.pot: translators' tools work on them),
 * checked and compiled by msgfmt --check at build time, and the .mo is
 * embedded into the library (cmake/embed_mo.cmake makes it a C array). This
 * file reads the .mo's sorted string table with a binary search: no state,
 * no allocation, no locale, nothing to install. */
#include "base.h"

#include <stdint.h>
#include <string.h>

/* The compiled catalogues, generated at build time from po/LANG.po. */
extern const unsigned char mpi_mo_fr[];
extern const size_t mpi_mo_fr_size;

typedef struct catalogue {
    const char *code;
    const unsigned char *mo;
    const size_t *size;
} catalogue;

static const catalogue catalogues[MPI_NLANG] = {
    [MPI_LANG_EN] = {"en", NULL, NULL},
    [MPI_LANG_FR] = {"fr", mpi_mo_fr, &mpi_mo_fr_size},
};

/* Per thread, as the last error is: two threads may speak two languages,
 * and nothing global is read (no locale). */
static _Thread_local mpi_lang msg_lang = MPI_LANG_EN;

mpi_lang mpi_msg_lang(void)
{
    return msg_lang;
}

void mpi_set_msg_lang(mpi_lang lang)
{
    msg_lang = (unsigned)lang < MPI_NLANG ? lang : MPI_LANG_EN;
}

mp_status mp_set_message_language(const char *lang)
{
    int l = lang ? mpi_lang_parse(lang) : MPI_LANG_EN;
    if (l < 0)
        return mpi_fail(MP_ERR_INPUT,
                        N_("mp_set_message_language: unknown language \"%s\" (en or fr)"), lang);
    msg_lang = (mpi_lang)l;
    return MP_OK;
}

const char *mp_message_language(void)
{
    return mpi_lang_code(msg_lang);
}

const char *mp_message(const char *msgid)
{
    return mpi_tr(msg_lang, msgid);
}

int mpi_lang_parse(const char *code)
{
    for (int l = 0; code && l < MPI_NLANG; l++)
        if (mpi_strieq(code, catalogues[l].code))
            return l;
    return -1;
}

const char *mpi_lang_code(mpi_lang lang)
{
    return catalogues[(unsigned)lang < MPI_NLANG ? lang : MPI_LANG_EN].code;
}

/* A 32-bit word of the .mo at byte off, in the file's byte order (swap:
 * written big-endian); 0 past the end. */
static uint32_t word32(const unsigned char *mo, size_t size, size_t off, int swap)
{
    if (off > size || size - off < 4)
        return 0;
    uint32_t w;
    memcpy(&w, mo + off, 4);
    if (swap)
        w = (w >> 24) | ((w >> 8) & 0xff00u) | ((w << 8) & 0xff0000u) | (w << 24);
    return w;
}

/* The .mo's header: its string count and the offsets of its original and
 * translated tables; 0 when it is no .mo. */
typedef struct mo_view {
    const unsigned char *mo;
    size_t size;
    int swap;
    uint32_t n, orig, trans;
} mo_view;

static int mo_open(const catalogue *c, mo_view *v)
{
    if (!c->mo)
        return 0;
    v->mo = c->mo;
    v->size = *c->size;
    uint32_t magic = word32(v->mo, v->size, 0, 0);
    v->swap = magic == 0xde120495u;
    if (magic != 0x950412deu && !v->swap)
        return 0;
    v->n = word32(v->mo, v->size, 8, v->swap);
    v->orig = word32(v->mo, v->size, 12, v->swap);
    v->trans = word32(v->mo, v->size, 16, v->swap);
    return v->n > 0;
}

/* String i of the table at tab: its bytes (NUL-terminated by msgfmt) and
 * length; NULL when it lies outside the file. */
static const char *mo_string(const mo_view *v, uint32_t tab, uint32_t i, uint32_t *len)
{
    size_t at = (size_t)tab + 8 * (size_t)i;
    *len = word32(v->mo, v->size, at, v->swap);
    uint32_t off = word32(v->mo, v->size, at + 4, v->swap);
    if (off >= v->size || v->size - off <= *len || v->mo[off + *len] != '\0')
        return NULL;
    return (const char *)v->mo + off;
}

/* The translation of key (the msgid, NUL-terminated up to the first NUL:
 * a plural entry's key is its singular), and its length; NULL when the
 * catalogue lacks it or has it untranslated. msgfmt sorts the original
 * strings by their bytes, as strcmp compares them. */
static const char *lookup(const catalogue *c, const char *key, uint32_t *len)
{
    mo_view v;
    if (!mo_open(c, &v))
        return NULL;
    uint32_t lo = 0, hi = v.n;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2, olen;
        const char *orig = mo_string(&v, v.orig, mid, &olen);
        if (!orig)
            return NULL;
        int cmp = strcmp(key, orig);
        if (cmp == 0) {
            const char *t = mo_string(&v, v.trans, mid, len);
            return t && *t ? t : NULL;
        }
        if (cmp < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

const char *mpi_tr(mpi_lang lang, const char *msgid)
{
    if (!msgid || (unsigned)lang >= MPI_NLANG || !*msgid)
        return msgid;
    uint32_t len;
    const char *t = lookup(&catalogues[lang], msgid, &len);
    return t ? t : msgid;
}

const char *mpi_trc(mpi_lang lang, const char *context, const char *msgid)
{
    char key[256];
    uint32_t len;
    if (!msgid || !context || (unsigned)lang >= MPI_NLANG ||
        snprintf(key, sizeof key, "%s\004%s", context, msgid) >= (int)sizeof key)
        return msgid;
    const char *t = lookup(&catalogues[lang], key, &len);
    return t ? t : msgid;
}

/* Which plural form n takes: English and French have two, but French puts
 * 0 and 1 in the singular ("Plural-Forms: nplurals=2; plural=(n > 1);"
 * in po/fr.po; a language with other rules adds its own here). */
static int plural_form(mpi_lang lang, unsigned long n)
{
    return lang == MPI_LANG_FR ? n > 1 : n != 1;
}

const char *mpi_trn(mpi_lang lang, const char *one, const char *many, unsigned long n)
{
    int form = plural_form(lang, n);
    uint32_t len;
    const char *t = one && (unsigned)lang < MPI_NLANG ? lookup(&catalogues[lang], one, &len) : NULL;
    if (!t)
        return form ? many : one;
    /* the forms follow one another, each ended by a NUL, len bytes in all */
    const char *second = memchr(t, '\0', len);
    return form && second ? second + 1 : t;
}

/* ---- numbers and dates as the language writes them ------------------------ */

/* src into buf of n bytes, cut at a character boundary when it is longer. */
static void copy_cut(char *buf, size_t n, const char *src)
{
    if (!n)
        return;
    size_t len = strlen(src);
    if (len >= n) {
        len = n - 1;
        while (len > 0 && ((unsigned char)src[len] & 0xc0) == 0x80)
            len--;
    }
    memcpy(buf, src, len);
    buf[len] = '\0';
}

/* French groups thousands with a narrow no-break space (U+202F) and writes
 * a decimal comma: 12 345,6. */
void mpi_fmt_num(mpi_lang lang, char *buf, size_t n, double v, int decimals)
{
    char en[96];
    mpi_fmt_thousands(en, sizeof en, v, decimals);
    if (lang != MPI_LANG_FR) {
        snprintf(buf, n, "%s", en);
        return;
    }
    char out[192];
    size_t o = 0;
    for (const char *p = en; *p && o + 4 < sizeof out; p++) {
        if (*p == ',') {
            memcpy(out + o, "\xe2\x80\xaf", 3);
            o += 3;
        } else {
            out[o++] = *p == '.' ? ',' : *p;
        }
    }
    out[o] = '\0';
    copy_cut(buf, n, out);
}

const char *mpi_pct_sign(mpi_lang lang)
{
    return lang == MPI_LANG_FR ? "\xc2\xa0%" : " %";
}

/* A percentage with up to four significant digits: "12.5 %" / "12,5 %"
 * (French puts a no-break space before the sign; so does our English). */
void mpi_fmt_pct(mpi_lang lang, char *buf, size_t n, double percent)
{
    char tmp[48];
    snprintf(tmp, sizeof tmp, "%.4g", percent);
    if (lang == MPI_LANG_FR)
        for (char *p = tmp; *p; p++)
            if (*p == '.')
                *p = ',';
    char out[64];
    snprintf(out, sizeof out, "%s%s", tmp, mpi_pct_sign(lang));
    copy_cut(buf, n, out);
}

/* ISO in English (the plan file's own form), day/month/year in French. */
void mpi_fmt_day(mpi_lang lang, char *buf, size_t n, long days)
{
    if (lang != MPI_LANG_FR) {
        mpi_fmt_date(buf, n, days);
        return;
    }
    int y, m, d;
    mpi_civil_from_days(days, &y, &m, &d);
    snprintf(buf, n, "%02d/%02d/%04d", d, m, y);
}
