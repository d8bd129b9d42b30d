/* astra-scan-read.c: reads the files the walk found, in reader threads
 *
 * Reading is what a scan spends its time on (mostly copying pages out of the kernel), so
 * it runs on as many threads as there are processors (at most four), while the walk goes
 * on opening the next files. Each reader owns one 256 KiB buffer: read() fills it and
 * memmem() searches it, the last bytes of a block are carried over so that a token across
 * a block boundary is found, and the first token ends the fast search: only those few files
 * are then read whole and analysed (astra-scan-analyse.c). Buffers are wiped on exit:
 * they held file contents, tokens among them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* memmem () */
#define _GNU_SOURCE

#define G_LOG_DOMAIN "astra-scan"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <string.h>
#include <unistd.h>

#include "astra-scan-private.h"
#include "astra-token-format.h"

#define BLOCK_SIZE   (256 * 1024)
/* A token that may continue in the next block starts at most this far before its end
 * (the token and the byte after it, which must not extend it); the three bytes before it
 * are kept too (astra_scan_token_at() looks at them). */
#define CONTEXT_SIZE 3
#define CARRY_SIZE   (CONTEXT_SIZE + ASTRA_TOKEN_LENGTH + 1)
#define MAX_READERS  4
/* Files go to the readers in batches: one wake-up per file would cost more context
 * switches than the reading saves. Batches waiting bound the open file descriptors. */
#define BATCH_SIZE   32
#define MAX_WAITING  4

struct _AstraScanReaders
{
  GAsyncQueue       *queue;       /* GPtrArray batches of AstraScanJob */
  GPtrArray         *batch;       /* being filled by the walk */
  GPtrArray         *threads;
  AstraScanProgress *progress;
  GCancellable      *cancellable;
  GMutex             lock;
  GCond              cond;
  guint              waiting;
};

/* What tells a reader to stop; never read. */
static GPtrArray end_of_jobs;

/* Helpers {{{ */

static void
set_skip (AstraScanJob        *job,
          AstraScanSkipReason  reason,
          const char          *message)
{
  g_clear_object (&job->skip);
  job->skip = astra_scan_skip_new (job->path, reason, message);
}

/* Reads a whole file of at most the size limit from the start; (transfer full) or NULL. */
static char *
read_whole (int    fd,
            gsize  size_hint,
            gsize *length)
{
  gsize capacity = MIN (size_hint, ASTRA_SCANNER_MAX_FILE_SIZE) + 1;
  char *data = g_malloc (capacity);
  gsize filled = 0;

  for (;;)
    {
      ssize_t n;

      if (filled == capacity)
        {
          char *bigger;

          if (capacity > ASTRA_SCANNER_MAX_FILE_SIZE)
            break;    /* grew past the limit since the fstat(): what was read is enough */
          /* not g_realloc: the old block would be freed unwiped */
          bigger = g_malloc (capacity * 2);
          memcpy (bigger, data, filled);
          astra_scan_wipe (data, filled);
          g_free (data);
          data = bigger;
          capacity *= 2;
        }
      n = pread (fd, data + filled, capacity - filled, filled);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          astra_scan_wipe (data, filled);
          g_free (data);
          errno = saved_errno;
          return NULL;
        }
      if (n == 0)
        break;
      filled += n;
    }

  *length = filled;
  return data;
}

/* The fast search: TRUE when the file holds a token or is a portal CSV download. Sets
 * @whole when @buffer holds the whole file (@length bytes of it). */
static gboolean
search_file (AstraScanReaders *self,
             AstraScanJob     *job,
             char             *buffer,
             gboolean         *whole,
             gsize            *length,
             int              *read_errno)
{
  gsize kept = 0;
  gsize total = 0;
  gboolean first = TRUE;

  *whole = FALSE;
  *read_errno = 0;
  for (;;)
    {
      gsize available, keep_from;
      gboolean eof;
      ssize_t n;

      n = read (job->fd, buffer + kept, BLOCK_SIZE);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          *read_errno = errno;
          return FALSE;
        }

      total += n;
      __atomic_fetch_add (&self->progress->bytes_read, n, __ATOMIC_RELAXED);
      available = kept + n;
      /* A short read of a regular file is its end: saves a read() per small file. */
      eof = n == 0 || ((gsize) n < BLOCK_SIZE && total >= job->size);

      if (first)
        {
          first = FALSE;
          *whole = eof;
          *length = available;
          if (available > 0 && memchr (buffer, '\0', available) != NULL)
            {
              *read_errno = -1;   /* binary */
              return FALSE;
            }
          if (astra_scan_portal_header_length (buffer, available) > 0)
            return TRUE;
        }
      else
        {
          *whole = FALSE;
        }

      keep_from = available > ASTRA_SCAN_NEEDLE_LEN - 1 ? available - (ASTRA_SCAN_NEEDLE_LEN - 1) : 0;
      for (const char *p = buffer, *end = buffer + available;
           p < end && (p = memmem (p, end - p, ASTRA_SCAN_NEEDLE, ASTRA_SCAN_NEEDLE_LEN)) != NULL;
           p++)
        {
          if (!eof && end - p < ASTRA_TOKEN_LENGTH + 1)
            {
              keep_from = p - buffer;   /* it may continue in the next block */
              break;
            }
          if (astra_scan_token_at (buffer, p, end))
            return TRUE;
        }

      if (eof)
        return FALSE;

      keep_from = keep_from > CONTEXT_SIZE ? keep_from - CONTEXT_SIZE : 0;
      kept = available - keep_from;
      memmove (buffer, buffer + keep_from, kept);
    }
}

static void
analyse (AstraScanJob *job,
         const char   *data,
         gsize         length)
{
  job->findings = g_ptr_array_new_with_free_func (g_object_unref);
  astra_scan_analyse_contents (job->path, data, length, job->size, job->mtime, job->findings);
}

static void
read_job (AstraScanReaders *self,
          AstraScanJob     *job,
          char             *buffer)
{
  gboolean whole = FALSE;
  gsize length = 0;
  int read_errno = 0;

  if (search_file (self, job, buffer, &whole, &length, &read_errno))
    {
      if (whole)
        {
          analyse (job, buffer, length);
        }
      else
        {
          char *data = read_whole (job->fd, job->size, &length);

          if (data == NULL)
            set_skip (job, ASTRA_SCAN_SKIP_UNREADABLE, g_strerror (errno));
          else
            analyse (job, data, length);
          if (data != NULL)
            astra_scan_wipe (data, length);
          g_free (data);
        }
    }
  else if (read_errno == -1)
    set_skip (job, ASTRA_SCAN_SKIP_BINARY, _("A binary file"));
  else if (read_errno != 0)
    set_skip (job, ASTRA_SCAN_SKIP_UNREADABLE, g_strerror (read_errno));

  __atomic_fetch_add (&self->progress->files_read, 1, __ATOMIC_RELAXED);
}

static void
batch_done (AstraScanReaders *self,
            GPtrArray        *batch)
{
  g_ptr_array_unref (batch);

  g_mutex_lock (&self->lock);
  self->waiting--;
  g_cond_signal (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gpointer
reader_thread (gpointer data)
{
  AstraScanReaders *self = data;
  char *buffer = g_malloc (BLOCK_SIZE + CARRY_SIZE);
  GPtrArray *batch;

  while ((batch = g_async_queue_pop (self->queue)) != &end_of_jobs)
    {
      for (guint i = 0; i < batch->len; i++)
        {
          AstraScanJob *job = g_ptr_array_index (batch, i);

          if (!g_cancellable_is_cancelled (self->cancellable))
            read_job (self, job, buffer);
          close (job->fd);
          job->fd = -1;
        }
      batch_done (self, batch);
    }

  astra_scan_wipe (buffer, BLOCK_SIZE + CARRY_SIZE);
  g_free (buffer);
  return NULL;
}

/* }}} */
/* Private API {{{ */

AstraScanJob *
astra_scan_job_new (const char *path,
                    int         fd)
{
  AstraScanJob *job = g_new0 (AstraScanJob, 1);

  job->path = g_strdup (path);
  job->fd = fd;
  return job;
}

void
astra_scan_job_free (AstraScanJob *job)
{
  if (job->fd >= 0)
    close (job->fd);
  g_clear_pointer (&job->findings, g_ptr_array_unref);
  g_clear_object (&job->skip);
  g_free (job->path);
  g_free (job);
}

AstraScanReaders *
astra_scan_readers_new (AstraScanProgress *progress,
                        GCancellable      *cancellable)
{
  AstraScanReaders *self = g_new0 (AstraScanReaders, 1);
  guint n_threads = CLAMP (g_get_num_processors (), 1, MAX_READERS);

  self->queue = g_async_queue_new ();
  self->batch = g_ptr_array_sized_new (BATCH_SIZE);
  self->threads = g_ptr_array_new ();
  self->progress = progress;
  self->cancellable = cancellable;
  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);

  for (guint i = 0; i < n_threads; i++)
    g_ptr_array_add (self->threads, g_thread_new ("astra-scan-read", reader_thread, self));
  return self;
}

static void
push_batch (AstraScanReaders *self)
{
  if (self->batch->len == 0)
    return;

  g_mutex_lock (&self->lock);
  while (self->waiting >= MAX_WAITING)
    g_cond_wait (&self->cond, &self->lock);
  self->waiting++;
  g_mutex_unlock (&self->lock);

  g_async_queue_push (self->queue, g_steal_pointer (&self->batch));
  self->batch = g_ptr_array_sized_new (BATCH_SIZE);
}

void
astra_scan_readers_push (AstraScanReaders *self,
                         AstraScanJob     *job)
{
  g_ptr_array_add (self->batch, job);
  if (self->batch->len >= BATCH_SIZE)
    push_batch (self);
}

void
astra_scan_readers_finish (AstraScanReaders *self)
{
  push_batch (self);
  g_ptr_array_unref (self->batch);
  for (guint i = 0; i < self->threads->len; i++)
    g_async_queue_push (self->queue, &end_of_jobs);
  for (guint i = 0; i < self->threads->len; i++)
    g_thread_join (g_ptr_array_index (self->threads, i));

  g_ptr_array_unref (self->threads);
  g_async_queue_unref (self->queue);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

/* }}} */
