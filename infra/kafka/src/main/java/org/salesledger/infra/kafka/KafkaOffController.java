package org.salesledger.infra.kafka;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Where no Kafka is configured: the Kafka admin endpoints say so instead of answering 404. */
@RestController
public class KafkaOffController {

    @RequestMapping({"/api/v1/admin/kafka-replays", "/api/v1/admin/kafka-replays/**", "/api/v1/admin/kafka-relay",
            "/api/v1/admin/kafka-relay/**"})
    public ResponseEntity<ProblemDetail> off() {
        return KafkaAdminController.problem(HttpStatus.SERVICE_UNAVAILABLE, null, "no Kafka is configured for this "
                + "service: set SALESLEDGER_KAFKA_BOOTSTRAP (or salesledger.kafka.bootstrap) and restart it");
    }
}
