package io.purifier.server;

import io.purifier.client.ApiClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Memory goes back after a run: the same tiny real pipeline (Fashion-MNIST, a small CNN trained one epoch on BadNets
 * data) runs five times in one server process; its resident size after the fifth run is within 10 % of its size after
 * the first, because the runs' tensors live and die in their worker processes.
 */
class ServerMemoryIT {

    @TempDir
    Path dir;

    @Test
    void the_server_s_resident_size_after_five_runs_is_within_ten_percent_of_its_size_after_one() throws Exception {
        Path home = TestHome.create(dir, false, true);
        try (ServerProcess server = ServerProcess.start(home, dir)) {
            ApiClient api = new ApiClient(server.port(), TestHome.adminToken(home));
            var pipeline = TestHome.tinyBadNetsPipeline(PurifierServer.objectMapper(), 21);
            List<Long> rss = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                TestHome.runToSuccess(api, pipeline, 300_000);
                rss.add(server.rssKb());
            }
            System.out.printf("server RSS after each of 5 runs (MB): %s%n", rss.stream().map(kb -> kb / 1024).toList());
            assertTrue(rss.get(4) <= rss.get(0) * 1.10, "RSS grew by more than 10 %: " + rss + " kB");
        }
    }
}
