/* Readers of outside file formats, one file each, each the only includer of
 * its library: INI plan and rules files (ini.c, inih), delimited text
 * (csv.c, libcsv), Keyword Planner exports (kwp.c), keyword rules (rules.c,
 * PCRE2), CO2e factor tables (co2.c) and Robyn model exports (robyn.c,
 * through json.c, cJSON). The LP solver's adapter has its own header
 * (lp.h). Adapters use engine/base and each other, nothing else. */
#ifndef MPI_ADAPTERS_H
#define MPI_ADAPTERS_H

#include "base.h"

/* ---- INI (ini.c, the one file that includes ini.h) -------------------- */

typedef mp_status (*mpi_ini_handler)(void *user, const char *section, const char *key,
                                     const char *value, int line, int continued);
/* Parse an INI file, calling h for each key; line is the source line, continued
 * is 1 for an indented continuation line of the previous key. Anything but
 * MP_OK from h stops the parse and is returned (h sets the message). Text in
 * any encoding mpi_text_decode() reads; its note (a file read as
 * Windows-1252) is added to notes (NULL: dropped). */
mp_status mpi_ini_parse(const char *path, mpi_strlist *notes, mpi_ini_handler h, void *user);
/* The same over text in memory; name is used in messages. */
mp_status mpi_ini_parse_buffer(const char *name, const char *text, size_t len, mpi_strlist *notes,
                               mpi_ini_handler h, void *user);

/* ---- delimited text (csv.c, the one file that includes csv.h) --------- */

/* Read a whole delimited text file (any encoding mpi_text_decode() reads, its
 * note in t->note; delimiter detected among comma, tab and semicolon when
 * delim is 0, the one read with in t->delim). */
mp_status mpi_table_read(const char *path, char delim, mpi_table *t);
/* The same rows one at a time, none kept: fn gets each row's fields
 * (NUL-terminated and writable, alive until fn returns), their count (0 for
 * a blank line) and the line the row starts on. A status other than MP_OK
 * from fn stops the reading and is returned. *note (note may be NULL) gets
 * how the text was read, or NULL; the caller frees it. */
typedef mp_status (*mpi_row_fn)(void *ctx, char **fields, size_t n, int line);
mp_status mpi_table_each(const char *path, char delim, mpi_row_fn fn, void *ctx, char **note);

/* ---- Keyword Planner exports (kwp.c) ---------------------------------- */

/* Read an export; currency NULL accepts any; skipped rows are reported in warn
 * (may be NULL); how the text was read in out->note. */
mp_status mpi_kwp_load(const char *path, const char *currency, mpi_strlist *warn, mpi_kwp *out);

/* ---- keyword rules (rules.c, the one file that includes pcre2.h) ------ */

mp_status mpi_rules_load(const char *path, mpi_rules **out);
void mpi_rules_free(mpi_rules *rs);
/* The rule (group or [exclude], file order) a text falls in: its index,
 * MPI_RULES_UNMATCHED or MPI_RULES_EXCLUDED. Fails when a pattern hits the
 * match limit (a catastrophic pattern) or the rules' work over all texts passes its bound. */
mp_status mpi_rules_classify(mpi_rules *rs, const char *text, int *group);
/* The bound on the match steps charged over every classify call of rs (the work of the
 * slow matches, see rules.c); past it classify fails naming the rule. For tests. */
void mpi_rules_set_work_limit(mpi_rules *rs, unsigned long long steps);
size_t mpi_rules_count(const mpi_rules *rs);
/* Name of rule i; NULL for [exclude]. */
const char *mpi_rules_name(const mpi_rules *rs, size_t i);
/* Override k of rule i (key, value, line); returns the number of overrides. */
size_t mpi_rules_kv(const mpi_rules *rs, size_t i, size_t k, const char **key, const char **value,
                    int *line);
const char *mpi_rules_path(const mpi_rules *rs);
/* How the rules file was read when that was a guess (Windows-1252), or NULL. */
const char *mpi_rules_note(const mpi_rules *rs);

/* ---- CO2e factors (co2.c) --------------------------------------------- */

/* One row of a factor table: media,kg_co2e_per_unit,unit,source. */
typedef struct mpi_co2_factor {
    char *media;
    double kg_per_unit;
    char *source; /* "file: source column" */
} mpi_co2_factor;
/* Read a factor table; *out is an array of *n factors, freed by mpi_co2_free;
 * how the text was read is added to notes (NULL: dropped). */
mp_status mpi_co2_load(const char *path, mpi_strlist *notes, mpi_co2_factor **out, size_t *n);
void mpi_co2_free(mpi_co2_factor *f, size_t n);

/* ---- Robyn model exports (robyn.c, through json.h) -------------------- */

/* Read channel (a name of InputCollect.paid_media_spends) of the export at
 * path into out (freed by mpi_robyn_free). A missing field, an unknown
 * channel, a Weibull adstock or a curve fitted on an exposure fails with
 * MP_ERR_INPUT naming the file and the field. */
mp_status mpi_robyn_load(const char *path, const char *channel, mpi_robyn *out);

#endif /* MPI_ADAPTERS_H */
