// The container suite: test/container (the image built by scripts/container/build, run with podman). Apart
// from the host suite because the build takes minutes on a clean machine: scripts/test builds the image in the
// background on the CPU the guest kernel does not use, while the guest suite runs, then runs this suite.
const host = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...host,
  roots: ['<rootDir>/test/container'],
  testPathIgnorePatterns: host.testPathIgnorePatterns.filter((p) => p !== '<rootDir>/test/container/'),
};
