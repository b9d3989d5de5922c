// @ts-check
/**
 * electron-builder `afterPack`: flips Electron's fuses in the packed binary, before signing and
 * before the installer is made. Security related: these turn off ways to run the app's binary as
 * something else (a bare Node, or with an inspector attached) and make it load only its own,
 * integrity-checked app.asar. DO NOT loosen without a security review.
 */
const path = require('node:path');
const { FuseV1Options, FuseVersion, flipFuses } = require('@electron/fuses');

/** The fuse settings the packaged app ships with. */
const fuses = {
  version: FuseVersion.V1,
  // ELECTRON_RUN_AS_NODE would turn the signed binary into a general-purpose Node.
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS could preload arbitrary code into main.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk would let anyone on the PC attach a debugger to main.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // Only app.asar, never a loose app/ folder someone dropped next to it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Refuse an app.asar whose hash does not match the one recorded at build time.
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  [FuseV1Options.EnableCookieEncryption]: true,
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
};

/**
 * @param {{ electronPlatformName: string; appOutDir: string;
 *   packager: { executableName: string; appInfo: { productFilename: string } } }} context
 */
const afterPack = async (context) => {
  const { electronPlatformName, appOutDir, packager } = context;
  const product = packager.appInfo.productFilename;
  /** @type {Record<string, string>} */
  const binaries = {
    win32: `${product}.exe`,
    darwin: `${product}.app`,
    linux: packager.executableName,
  };
  const binary = binaries[electronPlatformName];
  if (!binary) {
    throw new Error(`afterPack: no fuse setting for platform ${electronPlatformName}`);
  }
  await flipFuses(path.join(appOutDir, binary), {
    ...fuses,
    resetAdHocDarwinSignature: electronPlatformName === 'darwin' && process.arch === 'arm64',
  });
};

module.exports = afterPack;
module.exports.default = afterPack;
module.exports.fuses = fuses;
