/* Outputs are written to a temporary file beside the target and renamed over
 * it only when complete: a failed run never leaves a half-written file or
 * clobbers the previous one. */
#include "base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

mp_status mpi_atomic_begin(const char *path, char **tmp)
{
    *tmp = NULL;
    const char *slash = strrchr(path, '/');
    char *dir =
        slash ? mpi_strndup(path, (size_t)(slash - path + (slash == path))) : mpi_strdup(".");
    const char *base = slash ? slash + 1 : path;
    if (!dir)
        return mpi_fail(MP_ERR_NOMEM, "out of memory");
    if (!*base) {
        free(dir);
        return mpi_fail(MP_ERR_IO, "%s: not a file name", path);
    }
    struct stat sb;
    if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
        mp_status st = mpi_fail(MP_ERR_IO, "%s: directory %s does not exist", path, dir);
        free(dir);
        return st;
    }
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
        free(dir);
        return mpi_fail(MP_ERR_IO, "%s: is a directory", path);
    }
    char *t = mpi_aprintf("%s/.%s.XXXXXX", dir, base);
    free(dir);
    if (!t)
        return mpi_fail(MP_ERR_NOMEM, "out of memory");
    int fd = mkstemp(t);
    if (fd < 0) {
        mp_status st =
            mpi_fail(MP_ERR_IO, "%s: cannot write in its directory: %s", path, strerror(errno));
        free(t);
        return st;
    }
    fchmod(fd, 0644);
    close(fd);
    *tmp = t;
    return MP_OK;
}

mp_status mpi_atomic_end(const char *tmp, const char *path, int commit)
{
    if (!commit) {
        unlink(tmp);
        return MP_OK;
    }
    FILE *f = fopen(tmp, "rb+");
    if (f) {
        fflush(f);
        fsync(fileno(f));
        fclose(f);
    }
    if (rename(tmp, path) != 0) {
        mp_status st = mpi_fail(MP_ERR_IO, "%s: cannot replace: %s", path, strerror(errno));
        unlink(tmp);
        return st;
    }
    return MP_OK;
}
