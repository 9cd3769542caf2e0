/* Outputs are written to a temporary file beside the target and renamed over
 * it only when complete: a failed run never leaves a half-written file or
 * clobbers the previous one. Only regular files are replaced; a symlink is
 * followed the way editors do (the file it points to is replaced, the link
 * kept). The live temporaries are listed in a fixed table that a signal
 * handler may walk (mp_remove_temporaries). */
#define _XOPEN_SOURCE 700 /* realpath */
#include "base.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* At most two outputs are written at once (JSON and workbook); a few more
 * slots for library users writing from several threads. */
enum { TEMP_SLOTS = 16 };
/* The longest base name kept in a temporary name: with the dot and the
 * ".XXXXXX" suffix it stays under NAME_MAX (255) for any legal output name. */
enum { TEMP_BASE_MAX = 200 };

static char temp_path[TEMP_SLOTS][PATH_MAX];
static volatile sig_atomic_t temp_live[TEMP_SLOTS];
static int temp_claimed[TEMP_SLOTS];

/* Record tmp as live; returns its slot, or -1 when the table is full (the
 * file is still removed at the end of a normal run, only not on a signal). */
static int temp_register(const char *tmp)
{
    size_t len = strlen(tmp);
    if (len >= PATH_MAX)
        return -1;
    for (int i = 0; i < TEMP_SLOTS; i++) {
        int free_slot = 0;
        if (!__atomic_compare_exchange_n(&temp_claimed[i], &free_slot, 1, 0, __ATOMIC_ACQ_REL,
                                         __ATOMIC_ACQUIRE))
            continue;
        memcpy(temp_path[i], tmp, len + 1);
        __atomic_thread_fence(__ATOMIC_RELEASE);
        temp_live[i] = 1;
        return i;
    }
    return -1;
}

static void temp_forget(int slot)
{
    if (slot < 0)
        return;
    temp_live[slot] = 0;
    __atomic_store_n(&temp_claimed[slot], 0, __ATOMIC_RELEASE);
}

/* Async-signal-safe: only unlink(2) on paths already in place. */
void mp_remove_temporaries(void)
{
    for (int i = 0; i < TEMP_SLOTS; i++)
        if (temp_live[i])
            unlink(temp_path[i]);
}

/* The file path names: path itself, or for a symlink the file it points to
 * (which must exist and be a regular file). *target NULL: out of memory. */
static mp_status resolve_target(const char *path, char **target)
{
    *target = NULL;
    struct stat lsb, sb;
    if (lstat(path, &lsb) != 0) {
        *target = mpi_strdup(path);
        return *target ? MP_OK : mpi_nomem();
    }
    if (stat(path, &sb) != 0)
        return mpi_fail(MP_ERR_IO, N_("%s: a symbolic link to a file that does not exist (%s)"),
                        path, mpi_strerror(errno));
    if (S_ISDIR(sb.st_mode))
        return mpi_fail(MP_ERR_IO, N_("%s: is a directory"), path);
    if (!S_ISREG(sb.st_mode))
        return mpi_fail(MP_ERR_IO, N_("%s: not a regular file (a device, FIFO or socket): refused"),
                        path);
    if (!S_ISLNK(lsb.st_mode)) {
        *target = mpi_strdup(path);
        return *target ? MP_OK : mpi_nomem();
    }
    char real[PATH_MAX];
    if (!realpath(path, real))
        return mpi_fail(MP_ERR_IO, N_("%s: cannot follow the link: %s"), path, mpi_strerror(errno));
    *target = mpi_strdup(real);
    return *target ? MP_OK : mpi_nomem();
}

/* The directory of path ("." when it has none); NULL: out of memory. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? mpi_strndup(path, (size_t)(slash - path + (slash == path))) : mpi_strdup(".");
}

/* Six letters that differ between processes, calls and tries. */
static void fill_random(char *x, unsigned tries)
{
    static const char letters[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static unsigned counter;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    unsigned long v = (unsigned long)ts.tv_nsec * 2654435761u ^ (unsigned long)getpid() << 16 ^
                      __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) * 40503u ^ tries;
    for (int i = 0; i < 6; i++, v /= 62)
        x[i] = letters[v % 62];
}

/* Create ".BASE.XXXXXX" in dir with the mode the output will have: the old
 * file's when it exists (mode_keep >= 0), else 0666 less the umask. */
static mp_status create_temp(const char *path, const char *dir, const char *base, int mode_keep,
                             char **tmp)
{
    size_t blen = strlen(base);
    while (blen > TEMP_BASE_MAX || (blen && ((unsigned char)base[blen] & 0xC0) == 0x80))
        blen--; /* cut on a character boundary */
    char *t = mpi_aprintf("%s/.%.*s.XXXXXX", dir, (int)blen, base);
    if (!t)
        return mpi_nomem();
    char *x = t + strlen(t) - 6;
    for (unsigned tries = 0; tries < 100; tries++) {
        fill_random(x, tries);
        int fd = open(t, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno == EEXIST)
            continue;
        if (fd < 0)
            break;
        if (mode_keep >= 0) /* writable by its owner while it is written (mpi_atomic_end) */
            (void)fchmod(fd, (mode_t)mode_keep | S_IWUSR);
        close(fd);
        *tmp = t;
        return MP_OK;
    }
    int err = errno;
    free(t);
    return mpi_fail(MP_ERR_IO, N_("%s: cannot write in the folder %s: %s"), path, dir,
                    mpi_strerror(err));
}

/* The temporary file beside target. */
static mp_status begin_at(const char *path, mpi_atomic *a)
{
    const char *target = a->target;
    char *dir = dir_of(target);
    if (!dir)
        return mpi_nomem();
    const char *slash = strrchr(target, '/');
    const char *base = slash ? slash + 1 : target;
    struct stat sb;
    mp_status st = MP_OK;
    if (!*base)
        st = mpi_fail(MP_ERR_IO, N_("%s: not a file name"), path);
    else if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
        st = mpi_fail(MP_ERR_IO, N_("%s: directory %s does not exist"), path, dir);
    else {
        int keep = stat(target, &sb) == 0 ? (int)(sb.st_mode & 07777) : -1;
        a->mode = keep;
        st = create_temp(path, dir, base, keep, &a->tmp);
    }
    free(dir);
    return st;
}

/* The signals whose handler removes the temporaries are held while a
 * temporary is created and listed, or renamed and struck off: the handler
 * never misses a file nor sees a half-listed one. */
static void hold_signals(int hold, sigset_t *old)
{
    if (hold) {
        sigset_t set;
        sigemptyset(&set);
        sigaddset(&set, SIGINT);
        sigaddset(&set, SIGTERM);
        sigaddset(&set, SIGHUP);
        pthread_sigmask(SIG_BLOCK, &set, old);
    } else
        pthread_sigmask(SIG_SETMASK, old, NULL);
}

mp_status mpi_atomic_begin(const char *path, const char *what, mpi_atomic *a)
{
    a->tmp = a->target = NULL;
    a->slot = -1;
    a->mode = -1;
    a->what = what;
    mp_status st = resolve_target(path, &a->target);
    sigset_t old;
    hold_signals(1, &old);
    if (st == MP_OK)
        st = begin_at(path, a);
    if (st == MP_OK)
        a->slot = temp_register(a->tmp);
    hold_signals(0, &old);
    if (st != MP_OK) {
        free(a->target);
        a->target = NULL;
    }
    return st;
}

/* Flush the temporary to disk before it takes the output's name. */
static int sync_file(const char *tmp)
{
    int fd = open(tmp, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

mp_status mpi_atomic_end(mpi_atomic *a, const char *path, int commit)
{
    mp_status st = MP_OK;
    if (!a->tmp)
        return MP_OK;
    if (commit && sync_file(a->tmp) != 0)
        st = mpi_write_error(path, a->what, errno, NULL);
    /* a read-only file replaced (the caller allowed it) stays read-only */
    if (commit && st == MP_OK && a->mode >= 0 && !(a->mode & S_IWUSR) &&
        chmod(a->tmp, (mode_t)a->mode) != 0)
        st = mpi_write_error(path, a->what, errno, NULL);
    sigset_t old;
    hold_signals(1, &old);
    if (commit && st == MP_OK && rename(a->tmp, a->target) != 0)
        st = mpi_fail(MP_ERR_IO, N_("%s: cannot replace: %s"), path, mpi_strerror(errno));
    if (!commit || st != MP_OK)
        unlink(a->tmp);
    temp_forget(a->slot);
    hold_signals(0, &old);
    free(a->tmp);
    free(a->target);
    a->tmp = a->target = NULL;
    a->slot = -1;
    return st;
}

/* What was being written, in the message language: the callers name it in
 * one English word (workbook, LP, JSON). */
static const char *written_thing(const char *what)
{
    if (!strcmp(what, "workbook"))
        return mpi_tr(mpi_msg_lang(), N_("the workbook"));
    if (!strcmp(what, "LP"))
        return mpi_tr(mpi_msg_lang(), N_("the LP"));
    if (!strcmp(what, "JSON"))
        return mpi_tr(mpi_msg_lang(), N_("the JSON"));
    return what;
}

mp_status mpi_write_error(const char *path, const char *what, int err, const char *detail)
{
    const char *thing = written_thing(what);
    int generic = !detail || !*detail || !strcmp(detail, "write failed");
    if (generic)
        detail = mpi_tr(mpi_msg_lang(), N_("write failed"));
    /* errno says why when it is one of these, or when the detail does not */
    if (err == ENOSPC || err == EFBIG || err == EDQUOT || err == EIO || err == EACCES ||
        err == EPERM || err == EROFS || (generic && err))
        return mpi_fail(MP_ERR_IO, N_("%s: cannot write %s: %s"), path, thing, mpi_strerror(err));
    return mpi_fail(MP_ERR_IO, N_("%s: cannot write %s: %s"), path, thing, detail);
}
