package io.optimus.bridge.control;

import io.optimus.proto.v1.OperatorFrame;

/** An operator frame as it arrived: the message and when (bridge monotonic ns). */
public record ReceivedFrame(OperatorFrame frame, long receivedNs) {}
