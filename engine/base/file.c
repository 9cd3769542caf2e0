/* Reading a whole file. */
#include "base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

mp_status mpi_read_file(const char *path, char **buf, size_t *len)
{
    struct stat sb;
    if (stat(path, &sb) != 0)
        return mpi_fail(MP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return mpi_fail(MP_ERR_IO, "%s: is a directory, not a file", path);
    if (sb.st_size > MPI_MAX_FILE_BYTES)
        return mpi_fail(MP_ERR_LIMIT, "%s: file larger than %ld MiB", path,
                        MPI_MAX_FILE_BYTES / (1024 * 1024));
    FILE *f = fopen(path, "rb");
    if (!f)
        return mpi_fail(MP_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = (size_t)sb.st_size + 1, n = 0;
    char *b = mpi_malloc(cap);
    if (!b) {
        fclose(f);
        return mpi_fail(MP_ERR_NOMEM, "%s: out of memory", path);
    }
    for (;;) {
        if (n + 1 >= cap) { /* the file grew while we read it */
            if (cap > (size_t)MPI_MAX_FILE_BYTES) {
                free(b);
                fclose(f);
                return mpi_fail(MP_ERR_LIMIT, "%s: file too large", path);
            }
            char *nb = mpi_realloc(b, cap * 2);
            if (!nb) {
                free(b);
                fclose(f);
                return mpi_fail(MP_ERR_NOMEM, "%s: out of memory", path);
            }
            b = nb;
            cap *= 2;
        }
        size_t got = fread(b + n, 1, cap - 1 - n, f);
        n += got;
        if (got == 0)
            break;
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(b);
        return mpi_fail(MP_ERR_IO, "%s: read error", path);
    }
    b[n] = '\0';
    *buf = b;
    *len = n;
    return MP_OK;
}
