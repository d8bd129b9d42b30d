/* test-icons.c: the application icons render
 *
 * xmllint only proves the SVGs are XML; this renders them through gdk-pixbuf's SVG loader
 * (librsvg, what GTK and the shell use) and looks at the pixels.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "test-icons"

#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

typedef struct
{
  guint n_pixels;
  guint n_opaque;     /* alpha > 128 */
  guint n_colored;    /* visibly not grey: the channels differ by more than 16 */
} PixelStats;

static GdkPixbuf *
render (const char *relative_path,
        int         size)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "..", "data", "icons", "hicolor",
                                                 relative_path, NULL);
  g_autoptr(GdkPixbufLoader) loader = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize length;
  GdkPixbuf *pixbuf;

  g_file_get_contents (path, &contents, &length, &error);
  g_assert_no_error (error);

  /* By type, as GTK's icon theme loads a .svg: isolated test dirs have no MIME database to
   * sniff with. */
  loader = gdk_pixbuf_loader_new_with_type ("svg", &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_set_size (loader, size, size);
  gdk_pixbuf_loader_write (loader, (const guchar *) contents, length, &error);
  g_assert_no_error (error);
  gdk_pixbuf_loader_close (loader, &error);
  g_assert_no_error (error);

  pixbuf = g_object_ref (gdk_pixbuf_loader_get_pixbuf (loader));
  g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, size);
  g_assert_cmpint (gdk_pixbuf_get_height (pixbuf), ==, size);
  g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));

  return pixbuf;
}

static PixelStats
measure (GdkPixbuf *pixbuf)
{
  PixelStats stats = { 0 };
  const guint8 *pixels = gdk_pixbuf_read_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);

  for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
    for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
      {
        const guint8 *p = pixels + y * stride + x * 4;
        int max = MAX (p[0], MAX (p[1], p[2]));
        int min = MIN (p[0], MIN (p[1], p[2]));

        stats.n_pixels++;
        if (p[3] > 128)
          {
            stats.n_opaque++;
            if (max - min > 16)
              stats.n_colored++;
          }
      }

  return stats;
}

static void
test_scalable (void)
{
  static const int sizes[] = { 16, 32, 64, 128, 256 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      g_autoptr(GdkPixbuf) pixbuf = render ("scalable/apps/io.github.astratokens.AstraTokens.svg",
                                            sizes[i]);
      PixelStats stats = measure (pixbuf);

      /* A solid shape that fills a good part of the canvas, in colour, with transparent
       * corners (the rounded card), as app icons in the GNOME style are. */
      g_assert_cmpuint (stats.n_opaque, >, stats.n_pixels * 4 / 10);
      g_assert_cmpuint (stats.n_opaque, <, stats.n_pixels * 9 / 10);
      g_assert_cmpuint (stats.n_colored, >, stats.n_opaque / 2);
      g_assert_cmpint (gdk_pixbuf_read_pixels (pixbuf)[3], ==, 0);
    }
}

static void
test_symbolic (void)
{
  g_autoptr(GdkPixbuf) pixbuf = render ("symbolic/apps/io.github.astratokens.AstraTokens-symbolic.svg",
                                        16);
  g_autoptr(GdkPixbuf) large = render ("symbolic/apps/io.github.astratokens.AstraTokens-symbolic.svg",
                                       64);
  PixelStats stats = measure (pixbuf);
  PixelStats large_stats = measure (large);

  /* Symbolic icons are one grey colour that GTK recolours: any hue would show through. */
  g_assert_cmpuint (stats.n_opaque, >, stats.n_pixels / 5);
  g_assert_cmpuint (stats.n_colored, ==, 0);
  g_assert_cmpuint (large_stats.n_colored, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/icons/scalable", test_scalable);
  g_test_add_func ("/icons/symbolic", test_symbolic);

  return g_test_run ();
}
