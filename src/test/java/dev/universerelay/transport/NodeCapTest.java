package dev.universerelay.transport;

import io.micronaut.context.annotation.Property;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;

/** The cap on connections from the node: 503. */
@MicronautTest
@Property(name = "relay.session.max-connections-per-address", value = "100")
@Property(name = "relay.session.max-connections", value = "2")
class NodeCapTest extends ConnectionCapContract {
    @Override
    int refusalStatus() {
        return 503;
    }
}
