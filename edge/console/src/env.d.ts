/** Assets Vite turns into URLs of emitted files. */
declare module "*.svg" {
  const url: string;
  export default url;
}
