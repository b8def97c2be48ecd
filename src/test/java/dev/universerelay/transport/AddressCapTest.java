package dev.universerelay.transport;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** The cap on connections from one client address: 429. */
@MicronautTest
@Property(name = "relay.session.max-connections-per-address", value = "2")
@Property(name = "relay.session.max-connections", value = "100")
class AddressCapTest extends ConnectionCapContract {
    @Override
    int refusalStatus() {
        return 429;
    }
}
