/** A photo from the camera or the gallery, made small on the phone before it is sent: a JPEG at most
 * `maxSide` pixels on a side, base64 (the server checks it by content again and keeps no metadata). */

export class PhotoProblem extends Error {}

export async function photoBase64(file: Blob, maxSide = 640, quality = 0.8): Promise<string> {
  if (!/^image\/(jpeg|png)$/.test(file.type)) throw new PhotoProblem("type");
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    throw new PhotoProblem("unreadable");
  }
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(bitmap.width * scale));
  canvas.height = Math.max(1, Math.round(bitmap.height * scale));
  canvas.getContext("2d")!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  bitmap.close();
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, "image/jpeg", quality));
  if (!blob) throw new PhotoProblem("unreadable");
  const bytes = new Uint8Array(await blob.arrayBuffer());
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}
