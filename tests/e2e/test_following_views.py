"""The views below the pad follow its input in turn, piece by piece (www/js/following-views.js):
the page's own module, run in the browser on three small views. A deadline already past lets
exactly one step run per call, so the order is checked step by step, without timing."""

RUN = """
const done = arguments[arguments.length - 1];
import("./js/following-views.js").then(({ FollowingViews }) => {
  const log = [];
  const errors = [];
  const views = [
    (input) => { log.push(`a:${input}`); },
    function* (input) {
      for (let piece = 0; piece < 3; piece++) {
        log.push(`b${piece}:${input}`);
        yield;
      }
    },
    (input) => {
      if (input === 2) throw new Error(`c cannot show ${input}`);
      log.push(`c:${input}`);
    },
  ];
  const following = new FollowingViews(views, (error) => errors.push(error.message));
  const oneStepAtATime = [];
  following.follow(1, null);
  for (let call = 0; call < 4; call++) {
    following.runUntil(-Infinity);
    oneStepAtATime.push(log.join(" "));
  }
  following.follow(2, null);  // b is halfway through input 1; c has not seen it
  const busyBefore = following.busy;
  following.runUntil(Infinity);
  done({ oneStepAtATime, log, errors, busyBefore, busyAfter: following.busy });
}).catch((error) => done({ error: String(error) }));
"""


def test_views_follow_in_turn_one_step_per_frame_and_a_new_input_reaches_every_view(page):
    result = page.execute_async_script(RUN)
    assert "error" not in result, result.get("error")
    # One step per call: a's update, b's first call (its generator starts: nothing shown yet),
    # then b's pieces one by one.
    assert result["oneStepAtATime"] == ["a:1", "a:1", "a:1 b0:1", "a:1 b0:1 b1:1"]
    # The new input: b finishes input 1 first, then c (which had not yet shown 1) is due with
    # the new one and fails, which is reported without stopping the others; then a and b show 2.
    assert result["busyBefore"] is True
    assert result["log"] == ["a:1", "b0:1", "b1:1", "b2:1", "a:2", "b0:2", "b1:2", "b2:2"]
    assert result["errors"] == ["c cannot show 2"]
    assert result["busyAfter"] is False
