/* Records that dataset readers fill: tables and keywords. */
#include "base.h"

#include <stdlib.h>
#include <string.h>

void mpi_table_free(mpi_table *t)
{
    if (!t)
        return;
    for (size_t r = 0; r < t->nrows; r++) {
        for (size_t c = 0; c < t->ncols[r]; c++)
            free(t->rows[r][c]);
        free(t->rows[r]);
    }
    free(t->rows);
    free(t->ncols);
    free(t->line);
    free(t->note);
    memset(t, 0, sizeof *t);
}

void mpi_kwp_free(mpi_kwp *k)
{
    if (!k)
        return;
    for (size_t i = 0; i < k->n; i++)
        free(k->kw[i].text);
    free(k->kw);
    free(k->currency);
    free(k->note);
    memset(k, 0, sizeof *k);
}

void mpi_robyn_free(mpi_robyn *r)
{
    if (!r)
        return;
    free(r->version);
    free(r->model);
    free(r->interval);
    free(r->date_var);
    free(r->dep_var_type);
    free(r->window_start);
    free(r->window_end);
    memset(r, 0, sizeof *r);
}
