package io.autoglm.fleet.events.command;

/**
 * How the router chooses among eligible devices: a weighted score of capability, load and
 * responsiveness; the closest by region then rtt; or the cheapest tier first.
 */
public enum RoutingStrategy {
    LOAD_BALANCE,
    NEAREST,
    COST_FIRST
}
