// The environment a camera's capture process starts with: an allowlist, not a
// copy of the server's. The server's environment holds DATABASE_URL, SECRET_KEY,
// TEMPLATE_ENCRYPTION_KEY and ADMIN_API_KEY; a capture process runs FFmpeg on
// untrusted streams and files, so it gets none of them.
const PASSED = new Set(['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG', 'LC_ALL', 'LD_LIBRARY_PATH', 'NODE_ENV']);
/** OpenCV / FFmpeg tuning (e.g. OPENCV_FFMPEG_CAPTURE_OPTIONS=rtsp_transport;tcp). */
const PASSED_PREFIXES = ['OPENCV_', 'OPENCV4NODEJS_'];

export function captureEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const out: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && (PASSED.has(name) || PASSED_PREFIXES.some((p) => name.startsWith(p)))) {
      out[name] = value;
    }
  }
  return out;
}
