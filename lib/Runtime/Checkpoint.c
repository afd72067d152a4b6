//===- Checkpoint.c - Kiln training checkpoints ---------------------------===//
//
// Part of the Kiln project.
//
//===----------------------------------------------------------------------===//
///
/// \file
/// Writes and reads training checkpoints (format "KILNCKPT" version 1,
/// specified in docs/Runtime.md):
///
///   offset  size  field (all integers little-endian)
///        0     8  magic "KILNCKPT"
///        8     4  version (1)
///       12     4  flags (bit 0: shuffled)
///       16     8  total file size in bytes
///       24     8  model fingerprint
///       32     8  seed
///       40     8  step
///       48     8  epoch
///       56     8  batch
///       64     8  training examples
///       72     8  batch size
///       80     8  loss sum (IEEE binary64)
///       88     8  correct rows
///       96     8  counted rows
///      104     4  tensor count
///      108     4  reserved (0)
///      112     8  FNV-1a 64 of bytes 0..112 (header checksum)
///      120        tensor records: u32 kind, u32 name length, name,
///                 u32 dtype, u32 rank, u64 extents[rank], data
///   size - 8   8  FNV-1a 64 of bytes 0..size-8 (file checksum)
///
//===----------------------------------------------------------------------===//

#include "kiln/Runtime/Checkpoint.h"

#include "RuntimeInternal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/// Longest tensor name a checkpoint may hold.
enum { KILN_CKPT_MAX_NAME = 4096 };

/// Offset of the header checksum.
enum { KILN_CKPT_HEADER_SUM = 112 };

static const char Magic[8] = {'K', 'I', 'L', 'N', 'C', 'K', 'P', 'T'};

uint64_t kiln_fnv1a64(const void *data, size_t size, uint64_t hash) {
  const unsigned char *p = (const unsigned char *)data;
  for (size_t i = 0; i < size; ++i) {
    hash ^= p[i];
    hash *= 0x100000001b3ull;
  }
  return hash;
}

static const char *kindName(kiln_ckpt_kind_t kind) {
  return kind == KILN_CKPT_STATE ? "state"
         : kind == KILN_CKPT_SUM ? "running sum"
                                 : "param";
}

/// Continues \p h over the param and state lines of \p entry.
static uint64_t fingerprintLines(const kiln_sig_entry_t *entry, uint64_t h) {
  const kiln_sig_arg_t *groups[2] = {entry->params, entry->states};
  size_t counts[2] = {entry->num_params, entry->num_states};
  for (int g = 0; g < 2; ++g)
    for (size_t i = 0; i < counts[g]; ++i) {
      const kiln_sig_arg_t *a = &groups[g][i];
      char line[KILN_MAX_RANK * 21 + 32];
      char shape[KILN_MAX_RANK * 21 + 8];
      kiln_shape_format(shape, sizeof(shape), a->rank, a->shape);
      // The name is hashed separately: it has no length limit.
      h = kiln_fnv1a64(g ? "state " : "param ", 6, h);
      h = kiln_fnv1a64(a->name, strlen(a->name), h);
      int n = snprintf(line, sizeof(line), " %s %s\n",
                       kiln_dtype_name(a->dtype), shape);
      h = kiln_fnv1a64(line, n > 0 ? (size_t)n : 0, h);
    }
  return h;
}

uint64_t kiln_checkpoint_fingerprint(const kiln_sig_entry_t *entry) {
  return entry ? fingerprintLines(entry, KILN_FNV1A64_INIT)
               : KILN_FNV1A64_INIT;
}

uint64_t kiln_checkpoint_fingerprint_phases(
    const kiln_sig_entry_t *const *phases, size_t numPhases) {
  if (!phases || numPhases == 0)
    return KILN_FNV1A64_INIT;
  if (numPhases == 1)
    return kiln_checkpoint_fingerprint(phases[0]);
  char line[64];
  int n = snprintf(line, sizeof(line), "phases %zu\n", numPhases);
  uint64_t h = kiln_fnv1a64(line, (size_t)n, KILN_FNV1A64_INIT);
  for (size_t p = 0; p < numPhases; ++p) {
    const char *name = phases[p]->phase ? phases[p]->phase : "-";
    h = kiln_fnv1a64("phase ", 6, h);
    h = kiln_fnv1a64(name, strlen(name), h);
    h = kiln_fnv1a64("\n", 1, h);
    h = fingerprintLines(phases[p], h);
  }
  return h;
}

const kiln_ckpt_tensor_t *kiln_checkpoint_find(const kiln_checkpoint_t *ck,
                                               kiln_ckpt_kind_t kind,
                                               const char *name) {
  if (!ck || !name)
    return NULL;
  for (size_t i = 0; i < ck->num_tensors; ++i)
    if (ck->tensors[i].kind == kind && ck->tensors[i].name &&
        strcmp(ck->tensors[i].name, name) == 0)
      return &ck->tensors[i];
  return NULL;
}

void kiln_checkpoint_free(kiln_checkpoint_t *ck) {
  if (!ck)
    return;
  for (size_t i = 0; i < ck->num_tensors; ++i) {
    free(ck->tensors[i].name);
    kiln_tensor_free(&ck->tensors[i].tensor);
  }
  free(ck->tensors);
  memset(ck, 0, sizeof(*ck));
}

//===----------------------------------------------------------------------===//
// Little-endian encoding
//===----------------------------------------------------------------------===//

static void putU32(unsigned char *p, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    p[i] = (unsigned char)(v >> (8 * i));
}

static void putU64(unsigned char *p, uint64_t v) {
  for (int i = 0; i < 8; ++i)
    p[i] = (unsigned char)(v >> (8 * i));
}

static uint32_t getU32(const unsigned char *p) {
  uint32_t v = 0;
  for (int i = 3; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

static uint64_t getU64(const unsigned char *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

//===----------------------------------------------------------------------===//
// Writing
//===----------------------------------------------------------------------===//

/// Computes the file size of \p ck after validating its tensors.
static kiln_status_t layoutSize(const kiln_checkpoint_t *ck, uint64_t *total,
                                char *err, size_t errSize) {
  if (ck->num_tensors > UINT32_MAX || (ck->num_tensors && !ck->tensors))
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "checkpoint: bad tensor list");
  uint64_t size = KILN_CKPT_HEADER_SIZE + 8;
  for (size_t i = 0; i < ck->num_tensors; ++i) {
    const kiln_ckpt_tensor_t *t = &ck->tensors[i];
    size_t len = t->name ? strlen(t->name) : 0;
    if (len == 0 || len > KILN_CKPT_MAX_NAME)
      return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                       "checkpoint: tensor %zu: name must have 1 to %d "
                       "characters",
                       i, KILN_CKPT_MAX_NAME);
    if (t->kind != KILN_CKPT_PARAM && t->kind != KILN_CKPT_STATE &&
        t->kind != KILN_CKPT_SUM)
      return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                       "checkpoint: tensor '%s': bad kind %d", t->name,
                       (int)t->kind);
    if (kiln_checkpoint_find(ck, t->kind, t->name) != t)
      return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                       "checkpoint: duplicate %s '%s'", kindName(t->kind),
                       t->name);
    int64_t numel;
    size_t nbytes;
    if (kiln_dtype_size(t->tensor.dtype) == 0 || t->tensor.rank < 0 ||
        t->tensor.rank > KILN_MAX_RANK ||
        kiln_shape_numel(t->tensor.rank, t->tensor.shape, t->tensor.dtype,
                         &numel, &nbytes) != KILN_OK ||
        (!t->tensor.data && nbytes))
      return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                       "checkpoint: %s '%s': invalid tensor", kindName(t->kind),
                       t->name);
    size += 16 + len + 8 * (uint64_t)t->tensor.rank;
    if (__builtin_add_overflow(size, (uint64_t)nbytes, &size))
      return kiln_fail(KILN_ERR_OVERFLOW, err, errSize,
                       "checkpoint: size overflows");
  }
  *total = size;
  return KILN_OK;
}

/// A file being written with a running checksum.
typedef struct Writer {
  FILE *file;
  uint64_t hash;
  int failed;
  uint64_t written; ///< bytes passed to fwrite so far
  int64_t stallAt;  ///< test hook: stall after this many bytes (-1: never)
} Writer;

/// Fault injection for the crash-safety test (test/Runtime/
/// checkpoint-sigkill.test): with KILN_TEST_CHECKPOINT_STALL=N in the
/// environment, the writer stops for good after N bytes of the temporary
/// file (N = "rename": after the file is complete and synced, just before
/// the rename), says so on stderr and waits to be killed. Returns -1 when
/// the variable is unset, -2 for "rename".
static int64_t stallPoint(void) {
  const char *v = getenv("KILN_TEST_CHECKPOINT_STALL");
  if (!v || !*v)
    return -1;
  if (strcmp(v, "rename") == 0)
    return -2;
  char *end;
  long long n = strtoll(v, &end, 10);
  return (*end || n < 0) ? -1 : (int64_t)n;
}

static void stall(const char *where) {
  fprintf(stderr, "kiln: checkpoint write stalled %s "
                  "(KILN_TEST_CHECKPOINT_STALL)\n", where);
  fflush(stderr);
  for (;;)
    pause();
}

static void put(Writer *w, const void *data, size_t size) {
  if (w->failed || size == 0)
    return;
  if (w->stallAt >= 0 && w->written + size > (uint64_t)w->stallAt) {
    size_t part = (size_t)((uint64_t)w->stallAt - w->written);
    if (fwrite(data, 1, part, w->file) == part)
      fflush(w->file);
    char where[64];
    snprintf(where, sizeof(where), "at byte %lld", (long long)w->stallAt);
    stall(where);
  }
  if (fwrite(data, 1, size, w->file) != size)
    w->failed = errno ? errno : EIO;
  w->written += size;
  w->hash = kiln_fnv1a64(data, size, w->hash);
}

static void encodeHeader(unsigned char *h, const kiln_checkpoint_t *ck,
                         uint64_t total) {
  memset(h, 0, KILN_CKPT_HEADER_SIZE);
  memcpy(h, Magic, 8);
  putU32(h + 8, KILN_CKPT_VERSION);
  putU32(h + 12, ck->flags);
  putU64(h + 16, total);
  putU64(h + 24, ck->fingerprint);
  putU64(h + 32, ck->seed);
  putU64(h + 40, ck->step);
  putU64(h + 48, ck->epoch);
  putU64(h + 56, ck->batch);
  putU64(h + 64, ck->train_examples);
  putU64(h + 72, ck->batch_size);
  uint64_t bits;
  memcpy(&bits, &ck->loss_sum, 8);
  putU64(h + 80, bits);
  putU64(h + 88, ck->correct);
  putU64(h + 96, ck->counted);
  putU32(h + 104, (uint32_t)ck->num_tensors);
  putU64(h + KILN_CKPT_HEADER_SUM,
         kiln_fnv1a64(h, KILN_CKPT_HEADER_SUM, KILN_FNV1A64_INIT));
}

static void writeBody(Writer *w, const kiln_checkpoint_t *ck, uint64_t total) {
  unsigned char header[KILN_CKPT_HEADER_SIZE];
  encodeHeader(header, ck, total);
  put(w, header, sizeof(header));
  for (size_t i = 0; i < ck->num_tensors; ++i) {
    const kiln_ckpt_tensor_t *t = &ck->tensors[i];
    unsigned char rec[8 + 8 + 8 * KILN_MAX_RANK];
    size_t len = strlen(t->name);
    putU32(rec, (uint32_t)t->kind);
    putU32(rec + 4, (uint32_t)len);
    put(w, rec, 8);
    put(w, t->name, len);
    putU32(rec, (uint32_t)t->tensor.dtype);
    putU32(rec + 4, (uint32_t)t->tensor.rank);
    for (int32_t d = 0; d < t->tensor.rank; ++d)
      putU64(rec + 8 + 8 * d, (uint64_t)t->tensor.shape[d]);
    put(w, rec, 8 + 8 * (size_t)t->tensor.rank);
    put(w, t->tensor.data, kiln_tensor_nbytes(&t->tensor));
  }
  unsigned char sum[8];
  putU64(sum, w->hash);
  put(w, sum, 8);
}

/// Flushes the directory entry of \p path to disk (best effort: some file
/// systems do not support fsync on directories).
static void syncDirectory(const char *path) {
  const char *slash = strrchr(path, '/');
  char dir[4096];
  if (!slash)
    snprintf(dir, sizeof(dir), ".");
  else if (slash == path)
    snprintf(dir, sizeof(dir), "/");
  else if ((size_t)(slash - path) < sizeof(dir))
    snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
  else
    return;
  int fd = open(dir, O_RDONLY);
  if (fd < 0)
    return;
  (void)fsync(fd);
  close(fd);
}

kiln_status_t kiln_checkpoint_write(const char *path,
                                    const kiln_checkpoint_t *ck, char *err,
                                    size_t errSize) {
  if (!path || !*path || !ck)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_checkpoint_write: bad argument");
  uint64_t total;
  kiln_status_t st = layoutSize(ck, &total, err, errSize);
  if (st != KILN_OK)
    return st;
  size_t plen = strlen(path);
  char *tmp = (char *)malloc(plen + 5);
  if (!tmp)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
  memcpy(tmp, path, plen);
  memcpy(tmp + plen, ".tmp", 5);
  Writer w = {fopen(tmp, "wb"), KILN_FNV1A64_INIT, 0, 0, stallPoint()};
  if (!w.file) {
    st = kiln_fail(KILN_ERR_IO, err, errSize,
                   "%s: cannot open '%s' for writing: %s", path, tmp,
                   strerror(errno));
    free(tmp);
    return st;
  }
  errno = 0;
  writeBody(&w, ck, total);
  const char *what = "write";
  if (!w.failed && fflush(w.file) != 0)
    w.failed = errno ? errno : EIO;
  if (!w.failed && fsync(fileno(w.file)) != 0) {
    w.failed = errno ? errno : EIO;
    what = "sync";
  }
  if (fclose(w.file) != 0 && !w.failed)
    w.failed = errno ? errno : EIO;
  if (!w.failed && w.stallAt == -2)
    stall("before the rename");
  if (!w.failed && rename(tmp, path) != 0) {
    w.failed = errno ? errno : EIO;
    what = "rename";
  }
  if (w.failed) {
    remove(tmp);
    st = kiln_fail(KILN_ERR_IO, err, errSize, "%s: cannot %s '%s': %s", path,
                   what, tmp, strerror(w.failed));
    free(tmp);
    return st;
  }
  free(tmp);
  syncDirectory(path);
  return KILN_OK;
}

//===----------------------------------------------------------------------===//
// Reading
//===----------------------------------------------------------------------===//

/// Checks the fixed header in the first \p have bytes of a file of
/// \p fileSize bytes: magic, version, header checksum, total size.
static kiln_status_t checkHeader(const unsigned char *h, size_t have,
                                 uint64_t fileSize, const char *name, char *err,
                                 size_t errSize) {
  size_t magicLen = have < 8 ? have : 8;
  if (memcmp(h, Magic, magicLen) != 0)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: not a Kiln checkpoint (bad magic)", name);
  if (fileSize < KILN_CKPT_HEADER_SIZE + 8)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: truncated checkpoint: %llu bytes, the header alone "
                     "needs %d",
                     name, (unsigned long long)fileSize,
                     KILN_CKPT_HEADER_SIZE + 8);
  uint32_t version = getU32(h + 8);
  if (version != KILN_CKPT_VERSION)
    return kiln_fail(KILN_ERR_UNSUPPORTED, err, errSize,
                     "%s: unsupported checkpoint version %u (this runtime "
                     "reads version %d)",
                     name, version, KILN_CKPT_VERSION);
  if (kiln_fnv1a64(h, KILN_CKPT_HEADER_SUM, KILN_FNV1A64_INIT) !=
      getU64(h + KILN_CKPT_HEADER_SUM))
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint (header checksum mismatch)", name);
  uint64_t total = getU64(h + 16);
  if (fileSize < total)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: truncated checkpoint: expected %llu bytes, found "
                     "%llu",
                     name, (unsigned long long)total,
                     (unsigned long long)fileSize);
  if (fileSize > total)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: %llu bytes after the end "
                     "(expected %llu bytes, found %llu)",
                     name, (unsigned long long)(fileSize - total),
                     (unsigned long long)total, (unsigned long long)fileSize);
  return KILN_OK;
}

/// A bounds-checked cursor over the tensor records.
typedef struct Cursor {
  const unsigned char *p;
  size_t left;
} Cursor;

static const unsigned char *take(Cursor *c, uint64_t n) {
  if (n > c->left)
    return NULL;
  const unsigned char *r = c->p;
  c->p += n;
  c->left -= (size_t)n;
  return r;
}

/// Parses tensor record \p index into \p t.
static kiln_status_t parseTensor(Cursor *c, size_t index, const char *name,
                                 kiln_ckpt_tensor_t *t, char *err,
                                 size_t errSize) {
  const unsigned char *p = take(c, 8);
  if (!p)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: tensor %zu extends past the end",
                     name, index);
  uint32_t kind = getU32(p), len = getU32(p + 4);
  if (kind > KILN_CKPT_SUM)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: tensor %zu has bad kind %u", name,
                     index, kind);
  if (len == 0 || len > KILN_CKPT_MAX_NAME || !(p = take(c, len)))
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: tensor %zu has a bad name length "
                     "%u",
                     name, index, len);
  t->kind = (kiln_ckpt_kind_t)kind;
  t->name = (char *)malloc(len + 1);
  if (!t->name)
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
  memcpy(t->name, p, len);
  t->name[len] = '\0';
  if (memchr(t->name, '\0', len))
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: tensor %zu has a NUL in its "
                     "name",
                     name, index);
  if (!(p = take(c, 8)))
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: %s '%s' extends past the end",
                     name, kindName(t->kind), t->name);
  uint32_t dtype = getU32(p), rank = getU32(p + 4);
  if (dtype < KILN_F32 || dtype > KILN_I64 || rank > KILN_MAX_RANK)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: %s '%s' has bad dtype %u or "
                     "rank %u",
                     name, kindName(t->kind), t->name, dtype, rank);
  if (!(p = take(c, 8 * (uint64_t)rank)))
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: %s '%s' extends past the end",
                     name, kindName(t->kind), t->name);
  int64_t shape[KILN_MAX_RANK] = {0};
  for (uint32_t d = 0; d < rank; ++d) {
    uint64_t v = getU64(p + 8 * d);
    if (v > (uint64_t)INT64_MAX)
      return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                       "%s: corrupt checkpoint: %s '%s' has a bad extent", name,
                       kindName(t->kind), t->name);
    shape[d] = (int64_t)v;
  }
  int64_t numel;
  size_t nbytes;
  if (kiln_shape_numel((int32_t)rank, shape, (kiln_dtype_t)dtype, &numel,
                       &nbytes) != KILN_OK ||
      nbytes > c->left)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: %s '%s' extends past the end",
                     name, kindName(t->kind), t->name);
  kiln_status_t st = kiln_tensor_alloc(&t->tensor, (kiln_dtype_t)dtype,
                                       (int32_t)rank, shape, err, errSize);
  if (st != KILN_OK)
    return st;
  memcpy(t->tensor.data, take(c, nbytes), nbytes);
  return KILN_OK;
}

kiln_status_t kiln_checkpoint_read_buffer(const void *buf, size_t size,
                                          const char *name,
                                          kiln_checkpoint_t *ck, char *err,
                                          size_t errSize) {
  if (!ck)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_checkpoint_read_buffer: null checkpoint");
  memset(ck, 0, sizeof(*ck));
  if (!name)
    name = "<buffer>";
  if (!buf && size)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_checkpoint_read_buffer: null buffer");
  const unsigned char *b = (const unsigned char *)buf;
  kiln_status_t st =
      checkHeader(b ? b : (const unsigned char *)"",
                  size < KILN_CKPT_HEADER_SIZE ? size : KILN_CKPT_HEADER_SIZE,
                  size, name, err, errSize);
  if (st != KILN_OK)
    return st;
  if (kiln_fnv1a64(b, size - 8, KILN_FNV1A64_INIT) != getU64(b + size - 8))
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint (checksum mismatch)", name);
  if (getU32(b + 108) != 0)
    return kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: reserved header field is not 0",
                     name);
  ck->flags = getU32(b + 12);
  ck->fingerprint = getU64(b + 24);
  ck->seed = getU64(b + 32);
  ck->step = getU64(b + 40);
  ck->epoch = getU64(b + 48);
  ck->batch = getU64(b + 56);
  ck->train_examples = getU64(b + 64);
  ck->batch_size = getU64(b + 72);
  uint64_t bits = getU64(b + 80);
  memcpy(&ck->loss_sum, &bits, 8);
  ck->correct = getU64(b + 88);
  ck->counted = getU64(b + 96);
  uint32_t count = getU32(b + 104);
  // Each record takes at least 16 bytes, which bounds the allocation.
  Cursor c = {b + KILN_CKPT_HEADER_SIZE, size - KILN_CKPT_HEADER_SIZE - 8};
  if ((uint64_t)count * 16 > c.left) {
    st = kiln_fail(KILN_ERR_FORMAT, err, errSize,
                   "%s: corrupt checkpoint: %u tensors cannot fit in %zu "
                   "bytes",
                   name, count, c.left);
    memset(ck, 0, sizeof(*ck));
    return st;
  }
  ck->tensors = (kiln_ckpt_tensor_t *)calloc(count ? count : 1,
                                             sizeof(kiln_ckpt_tensor_t));
  if (!ck->tensors) {
    memset(ck, 0, sizeof(*ck));
    return kiln_fail(KILN_ERR_NOMEM, err, errSize, "out of memory");
  }
  for (uint32_t i = 0; i < count && st == KILN_OK; ++i) {
    ck->num_tensors = i + 1;
    st = parseTensor(&c, i, name, &ck->tensors[i], err, errSize);
    if (st == KILN_OK &&
        kiln_checkpoint_find(ck, ck->tensors[i].kind, ck->tensors[i].name) !=
            &ck->tensors[i])
      st = kiln_fail(KILN_ERR_FORMAT, err, errSize,
                     "%s: corrupt checkpoint: duplicate %s '%s'", name,
                     kindName(ck->tensors[i].kind), ck->tensors[i].name);
  }
  if (st == KILN_OK && c.left != 0)
    st = kiln_fail(KILN_ERR_FORMAT, err, errSize,
                   "%s: corrupt checkpoint: %zu unused bytes after the "
                   "tensors",
                   name, c.left);
  if (st != KILN_OK)
    kiln_checkpoint_free(ck);
  return st;
}

kiln_status_t kiln_checkpoint_read(const char *path, kiln_checkpoint_t *ck,
                                   char *err, size_t errSize) {
  if (!path || !ck)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_checkpoint_read: null argument");
  memset(ck, 0, sizeof(*ck));
  FILE *f;
  uint64_t size;
  kiln_status_t st = kiln_open_regular_file(path, &f, &size, err, errSize);
  if (st != KILN_OK) {
    kiln_err_prefix(err, errSize, path);
    return st;
  }
  // Validate the header before allocating for the whole file.
  unsigned char header[KILN_CKPT_HEADER_SIZE];
  size_t have = fread(header, 1, sizeof(header), f);
  st = checkHeader(header, have, size, path, err, errSize);
  unsigned char *buf = NULL;
  if (st == KILN_OK && size > SIZE_MAX)
    st = kiln_fail(KILN_ERR_OVERFLOW, err, errSize, "%s: file too large", path);
  if (st == KILN_OK && !(buf = (unsigned char *)malloc((size_t)size)))
    st = kiln_fail(KILN_ERR_NOMEM, err, errSize,
                   "%s: out of memory reading %llu bytes", path,
                   (unsigned long long)size);
  if (st == KILN_OK) {
    memcpy(buf, header, have);
    size_t rest = (size_t)size - have;
    if (fread(buf + have, 1, rest, f) != rest)
      st = kiln_fail(KILN_ERR_IO, err, errSize,
                     "%s: read error (the file changed while reading?)", path);
  }
  fclose(f);
  if (st == KILN_OK)
    st = kiln_checkpoint_read_buffer(buf, (size_t)size, path, ck, err, errSize);
  free(buf);
  return st;
}

//===----------------------------------------------------------------------===//
// Model check
//===----------------------------------------------------------------------===//

/// Checks one param or state of the model against the checkpoint.
static kiln_status_t checkTensor(const kiln_checkpoint_t *ck,
                                 const kiln_sig_arg_t *a, kiln_ckpt_kind_t kind,
                                 const char *prefix, char *err,
                                 size_t errSize) {
  const kiln_ckpt_tensor_t *t = kiln_checkpoint_find(ck, kind, a->name);
  if (!t)
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     "%s: %s '%s' is missing from the checkpoint", prefix,
                     kindName(kind), a->name);
  char check[64];
  if (kiln_sig_arg_check(a, &t->tensor, check, sizeof(check)) == KILN_OK)
    return KILN_OK;
  char here[KILN_MAX_RANK * 21 + 16], there[KILN_MAX_RANK * 21 + 16];
  char shape[KILN_MAX_RANK * 21 + 8];
  kiln_shape_format(shape, sizeof(shape), t->tensor.rank, t->tensor.shape);
  snprintf(there, sizeof(there), "%s %s", shape,
           kiln_dtype_name(t->tensor.dtype));
  return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                   "%s: %s '%s' is %s here, %s in the checkpoint", prefix,
                   kindName(kind), a->name,
                   kiln_sig_arg_format(here, sizeof(here), a), there);
}

static int argNamed(const kiln_sig_arg_t *list, size_t n, const char *name) {
  for (size_t j = 0; j < n; ++j)
    if (strcmp(list[j].name, name) == 0)
      return 1;
  return 0;
}

kiln_status_t kiln_checkpoint_check_phases(const kiln_checkpoint_t *ck,
                                           const kiln_sig_entry_t *const *phases,
                                           size_t numPhases, char *err,
                                           size_t errSize) {
  if (!ck || !phases || numPhases == 0)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_checkpoint_check_model: null argument");
  for (size_t p = 0; p < numPhases; ++p)
    if (!phases[p])
      return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                       "kiln_checkpoint_check_model: null argument");
  const char *prefix = "checkpoint is for a different model";
  const kiln_sig_entry_t *first = phases[0];
  kiln_status_t st;
  for (size_t i = 0; i < first->num_params; ++i)
    if ((st = checkTensor(ck, &first->params[i], KILN_CKPT_PARAM, prefix, err,
                          errSize)) != KILN_OK)
      return st;
  for (size_t p = 0; p < numPhases; ++p)
    for (size_t i = 0; i < phases[p]->num_states; ++i)
      if ((st = checkTensor(ck, &phases[p]->states[i], KILN_CKPT_STATE, prefix,
                            err, errSize)) != KILN_OK)
        return st;
  for (size_t i = 0; i < ck->num_tensors; ++i) {
    const kiln_ckpt_tensor_t *t = &ck->tensors[i];
    int found = 0;
    if (t->kind == KILN_CKPT_SUM)
      continue;
    if (t->kind == KILN_CKPT_PARAM)
      found = argNamed(first->params, first->num_params, t->name);
    for (size_t p = 0; p < numPhases && !found && t->kind == KILN_CKPT_STATE;
         ++p)
      found = argNamed(phases[p]->states, phases[p]->num_states, t->name);
    if (!found)
      return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                       "%s: the checkpoint has a %s '%s' that this model does "
                       "not have",
                       prefix, kindName(t->kind), t->name);
  }
  // Same tensors, so only their order (or the phases) can differ.
  if (ck->fingerprint != kiln_checkpoint_fingerprint_phases(phases, numPhases))
    return kiln_fail(KILN_ERR_MISMATCH, err, errSize,
                     numPhases == 1
                         ? "%s: fingerprint mismatch (the params or states are "
                           "in a different order)"
                         : "%s: fingerprint mismatch (the params or states are "
                           "in a different order, or the phases differ)",
                     prefix);
  return KILN_OK;
}

kiln_status_t kiln_checkpoint_check_model(const kiln_checkpoint_t *ck,
                                          const kiln_sig_entry_t *entry,
                                          char *err, size_t errSize) {
  if (!ck || !entry)
    return kiln_fail(KILN_ERR_INVALID_ARG, err, errSize,
                     "kiln_checkpoint_check_model: null argument");
  return kiln_checkpoint_check_phases(ck, &entry, 1, err, errSize);
}
