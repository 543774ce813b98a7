/**
 * A full-resolution still from the applicant's camera (for reading a document when the video is
 * too small), and its upload to the session's running check.
 */

/** Grabs a JPEG from the camera track: ImageCapture where the browser has it, else a video frame. */
export async function captureStill(stream: MediaStream): Promise<Blob> {
  const track = stream.getVideoTracks()[0];
  if (!track) throw new Error('no camera track');
  const ImageCaptureCtor = (globalThis as { ImageCapture?: new (t: MediaStreamTrack) => { takePhoto(): Promise<Blob> } }).ImageCapture;
  if (ImageCaptureCtor) {
    try {
      return await new ImageCaptureCtor(track).takePhoto();
    } catch {
      // Some cameras refuse takePhoto; fall back to a frame of the live video.
    }
  }
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.srcObject = new MediaStream([track]);
  await video.play();
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')?.drawImage(video, 0, 0);
  video.pause();
  video.srcObject = null;
  return new Promise((resolve, reject) =>
    canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('could not encode the photo'))), 'image/jpeg', 0.92),
  );
}

export type UploadResult = { ok: true } | { ok: false; code: string };

/** Sends the still to the server; the check that is waiting for it reads it. */
export async function uploadStill(token: string, image: Blob): Promise<UploadResult> {
  const type = image.type || 'image/jpeg';
  try {
    const res = await fetch(`/api/sessions/${encodeURIComponent(token)}/stills`, {
      method: 'POST',
      headers: { 'content-type': type },
      body: image,
    });
    if (res.status === 202) return { ok: true };
    const body = (await res.json().catch(() => null)) as { error?: { code?: string } } | null;
    return { ok: false, code: body?.error?.code ?? `http_${res.status}` };
  } catch {
    return { ok: false, code: 'network' };
  }
}
