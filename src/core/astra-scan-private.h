/* astra-scan-private.h: what the astra-scan*.c files share (not public)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "astra-scan-finding.h"
#include "astra-scanner.h"

G_BEGIN_DECLS

#define ASTRA_SCAN_NEEDLE      "AstraCS:"
#define ASTRA_SCAN_NEEDLE_LEN  8

/* astra-scan-finding.c */
AstraScanFinding *astra_scan_finding_new            (const char       *path,
                                                     guint             line,
                                                     AstraScanKind     kind,
                                                     const char       *client_id,
                                                     const char       *masked,
                                                     guint64           value_offset,
                                                     guint64           value_length,
                                                     guint64           file_size,
                                                     gint64            file_mtime);
void              astra_scan_finding_set_variable   (AstraScanFinding *self,
                                                     const char       *variable);
void              astra_scan_finding_set_section    (AstraScanFinding *self,
                                                     const char       *section);
void              astra_scan_finding_set_role_names (AstraScanFinding *self,
                                                     char            **role_names);
/* For portal CSV rows: where the row starts, so that the secret is re-read from the row. */
void              astra_scan_finding_set_row_offset (AstraScanFinding *self,
                                                     guint64           row_offset);
guint64           astra_scan_finding_get_row_offset (AstraScanFinding *self);

/* astra-scan-skip.c */
AstraScanSkip    *astra_scan_skip_new               (const char          *path,
                                                     AstraScanSkipReason  reason,
                                                     const char          *message);

/* astra-scan-detect.c: the byte-level rules, shared by the walk and the re-read */

/* What a file's name says about the lines in it. */
typedef enum
{
  ASTRA_SCAN_FILE_OTHER,
  ASTRA_SCAN_FILE_DOTENV,
  ASTRA_SCAN_FILE_SHELL,
  ASTRA_SCAN_FILE_ASTRARC,
} AstraScanFileClass;

AstraScanFileClass astra_scan_file_class_from_name  (const char *basename);

/* Whether a whole token starts at @p ("AstraCS:" + 24 letters or digits + ":" + 64
 * lowercase hex) and is not part of a longer run of letters and digits. @start and @end
 * bound the data around it: the bytes before and after the token are checked when there
 * are some (a letter or digit before it is a word it is glued to, unless it ends an escape
 * such as "\n" or "%3A"). */
gboolean          astra_scan_token_at               (const char *start,
                                                     const char *p,
                                                     const char *end);

/* The kind of the token at @value within the line starting at @line (the bytes before
 * @value); @variable gets the NAME of an assignment (transfer full) or NULL. */
AstraScanKind     astra_scan_line_kind              (AstraScanFileClass   file_class,
                                                     const char          *line,
                                                     const char          *value,
                                                     char               **variable);

/* Length of the portal CSV header line at the start of @data (after an optional UTF-8
 * BOM), including its line end; 0 when @data does not start with it. */
gsize             astra_scan_portal_header_length   (const char *data,
                                                     gsize       length);

typedef struct
{
  const char *start[4];   /* Client Id, Client Secret, Role, Token: between the quotes */
  gsize       length[4];
  gboolean    escaped[4]; /* holds doubled quotes: unescape before use */
} AstraScanPortalRow;

/* Parses one portal CSV record at @p (every field quoted); → the start of the next record,
 * or NULL when this is not a 4-field record of quoted fields. */
const char       *astra_scan_portal_row_parse       (const char         *p,
                                                     const char         *end,
                                                     AstraScanPortalRow *row);
/* A field's value, doubled quotes undone. (transfer full) */
char             *astra_scan_portal_row_dup_field   (const AstraScanPortalRow *row,
                                                     guint                     field);

/* Analyses a whole file in memory: appends AstraScanFinding objects to @findings. */
void              astra_scan_analyse_contents       (const char *path,
                                                     const char *data,
                                                     gsize       length,
                                                     guint64     file_size,
                                                     gint64      file_mtime,
                                                     GPtrArray  *findings);

typedef struct
{
  guint64  files_read;  /* written by the readers, read by other threads with __atomic_load_n */
  guint64  bytes_read;
  GMutex   lock;        /* guards folder */
  char    *folder;      /* the folder the walk is in */
} AstraScanProgress;

/* Sets the folder the walk is in (astra-scan-walk.c); → a copy of it (astra-scanner.c). */
void              astra_scan_progress_set_folder    (AstraScanProgress  *progress,
                                                     const char         *folder);
char             *astra_scan_progress_dup_folder    (AstraScanProgress  *progress);

/* astra-scan-read.c: reader threads. The walk opens and checks each file (fstat) and hands
 * it over as a job; a reader searches it and fills in the job's findings or skip. Jobs
 * stay in walk order, so the results do not depend on which reader was faster. */

typedef struct
{
  char          *path;
  int            fd;          /* owned until read; -1 for a job that is only a skip */
  guint64        size;
  gint64         mtime;
  GPtrArray     *findings;    /* AstraScanFinding, or NULL */
  AstraScanSkip *skip;        /* or NULL */
} AstraScanJob;

typedef struct _AstraScanReaders AstraScanReaders;

AstraScanJob     *astra_scan_job_new                (const char         *path,
                                                     int                 fd);
void              astra_scan_job_free               (AstraScanJob       *job);
AstraScanReaders *astra_scan_readers_new            (AstraScanProgress  *progress,
                                                     GCancellable       *cancellable);
/* Hands @job (not taken: the caller keeps it in its ordered list) to a reader; blocks
 * while many files are open and unread, to bound the open file descriptors. */
void              astra_scan_readers_push           (AstraScanReaders   *self,
                                                     AstraScanJob       *job);
/* Waits for every job pushed and ends the threads. */
void              astra_scan_readers_finish         (AstraScanReaders   *self);

/* astra-scan-walk.c: the walk itself, in the calling (worker) thread */

/* → AstraScanFinding objects (transfer full); @skipped gets AstraScanSkip objects. */
GPtrArray        *astra_scan_walk                   (const char * const *roots,
                                                     AstraScanProgress  *progress,
                                                     GPtrArray          *skipped,
                                                     GCancellable       *cancellable,
                                                     GError            **error);

/* Zeroes memory that held file contents (secrets) so the compiler cannot elide it. */
void              astra_scan_wipe                   (void       *data,
                                                     gsize       length);

G_END_DECLS
