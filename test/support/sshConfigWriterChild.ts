// A separate process (another VS Code window) writing Host entries to one SSH config at once.
import { writeSshHost } from '../../src/ui/ssh/sshConfig';

const [file, ...ids] = process.argv.slice(2);
Promise.all(ids.map((id) => writeSshHost(file, { alias: `vast-${id}`, hostName: '10.0.0.1', port: 22, user: 'root' }))).then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
