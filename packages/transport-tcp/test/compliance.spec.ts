import tests from '@libp2p/interface-compliance-tests/transport'
import { TCP } from '@multiformats/multiaddr-matcher'
import { tcp } from '../src/index.js'

// The suite builds its own libp2p nodes with its default encrypter and muxer,
// so only the transport is ours here
describe('@libp2p/interface-compliance-tests/transport', () => {
  tests({
    async setup () {
      const dialer = {
        transports: [tcp()],
        // the monitor's pings would add traffic the tests do not expect
        connectionMonitor: { enabled: false }
      }

      return {
        dialer,
        listener: {
          ...dialer,
          addresses: {
            // two, for 'should listen on multiple addresses'
            listen: ['/ip4/127.0.0.1/tcp/0', '/ip4/127.0.0.1/tcp/0']
          }
        },
        dialMultiaddrMatcher: TCP,
        listenMultiaddrMatcher: TCP
      }
    },
    async teardown () {}
  })
})
