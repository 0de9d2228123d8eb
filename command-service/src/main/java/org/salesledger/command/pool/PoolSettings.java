package org.salesledger.command.pool;

import java.time.ZoneId;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The customer pool's settings ({@code salesledger.pool.*}).
 *
 * @param zone the time zone whose days the daily claim limit counts (a zone id such as {@code Asia/Shanghai})
 */
@ConfigurationProperties("salesledger.pool")
public record PoolSettings(@DefaultValue("UTC") ZoneId zone) {
}
