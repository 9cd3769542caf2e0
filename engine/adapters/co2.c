/* CO2e factor tables: CSV of media,kg_co2e_per_unit,unit,source (a header row
 * and lines starting with # are skipped). */
#include "adapters.h"

#include <stdlib.h>
#include <string.h>

void mpi_co2_free(mpi_co2_factor *f, size_t n)
{
    if (!f)
        return;
    for (size_t i = 0; i < n; i++) {
        free(f[i].media);
        free(f[i].source);
    }
    free(f);
}

mp_status mpi_co2_load(const char *path, mpi_strlist *notes, mpi_co2_factor **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    mpi_table t;
    mp_status st = mpi_table_read(path, ',', &t);
    if (st != MP_OK)
        return st;
    if (t.note && notes)
        st = mpi_strlist_addf(notes, "%s", t.note);
    mpi_co2_factor *f = mpi_calloc(t.nrows, sizeof *f);
    size_t k = 0;
    if (!f && st == MP_OK)
        st = mpi_nomem();
    for (size_t r = 0; st == MP_OK && r < t.nrows; r++) {
        char **row = t.rows[r];
        if (t.ncols[r] < 4 || row[0][0] == '#' || !strcmp(row[0], "media"))
            continue;
        const char *why;
        mpi_loc loc = {path, t.line[r], "kg_co2e_per_unit"};
        if (mpi_parse_num(row[1], 0, NULL, &f[k].kg_per_unit, &why) != 0 || f[k].kg_per_unit < 0) {
            st = mpi_fail_at(MP_ERR_INPUT, &loc, N_("expected a non-negative number, got \"%s\""),
                             row[1]);
            break;
        }
        f[k].media = mpi_strdup(row[0]);
        f[k].source = mpi_aprintf("%s: %s", path, row[3]);
        k++;
        if (!f[k - 1].media || !f[k - 1].source)
            st = mpi_nomem();
    }
    mpi_table_free(&t);
    if (st != MP_OK) {
        mpi_co2_free(f, k);
        return st;
    }
    *out = f;
    *n = k;
    return MP_OK;
}
