/*
 * A fake OpenXR runtime for tests: the real OpenXR loader (the one LWJGL ships) loads it through a
 * runtime manifest named by XR_RUNTIME_JSON. It reports a headless system (XR_MND_headless) with
 * XR_EXT_hand_tracking and XR_KHR_convert_timespec_time, drives the session state machine, resolves
 * actions through the bindings the application suggested for the scripted interaction profile, and
 * plays back a script of poses and inputs, all given in STAGE space (OpenXR's y-up convention).
 *
 * Script (file named by OPTIMUS_FAKEXR_SCRIPT; one directive per line, '#' comments):
 *   period_ms MS                 accepted and ignored (headless clients pace themselves)
 *   exit_after N                 after N frames the runtime asks the session to stop (STOPPING)
 *   loss_after N                 after N frames the session becomes LOSS_PENDING
 *   session_lost_after N         after N frames: LOSS_PENDING, then every call on the session returns
 *                                XR_ERROR_SESSION_LOST; the first session of the instance only
 *   unavailable_for K            after a loss, the next K xrGetSystem calls (or, after an instance loss,
 *                                xrCreateInstance calls: the runtime is gone) fail, then it works again
 *   instance_lost_after N        after N frames: INSTANCE_LOSS_PENDING, then calls return
 *                                XR_ERROR_INSTANCE_LOST; the first instance of the process only
 *   no_stage                     STAGE is not offered (clients fall back to LOCAL)
 *   no_hand_tracking             the system does not support hand tracking
 *   profile PATH                 interaction profile the "user" holds, e.g. /interaction_profiles/oculus/touch_controller
 *   F head PX PY PZ QX QY QZ QW  from frame F on: VIEW pose
 *   F grip|aim left|right PX PY PZ QX QY QZ QW
 *   F input left|right COMPONENT VALUE [VALUE2]   e.g. "/input/trigger/value 0.8", "/input/thumbstick 0.5 -0.2"
 *   F joint left|right J PX PY PZ QX QY QZ QW RADIUS
 *   F hand_active left|right 0|1
 *   body_tracking EXT...         offer these body-tracking extensions (XR_FB_body_tracking,
 *                                XR_META_body_tracking_full_body, XR_HTC_body_tracking, XR_BD_body_tracking;
 *                                none by default) with a system that supports them
 *   body_unsupported             the extensions are offered but the system reports no body tracking
 *   body_create_fails            xrCreateBodyTracker* answers XR_ERROR_FEATURE_UNSUPPORTED
 *   F body_joint J PX PY PZ QX QY QZ QW [FLAGS]   joint J of the tracker's joint set (FB 70, META full
 *                                body 84, HTC 26, BD 24), STAGE; FLAGS the XrSpaceLocationFlags (default 15)
 *   F body_active 0|1            whether the body is tracked (FB isActive; HTC confidence NONE when 0)
 *   F body_confidence C          FB: the body's confidence (default 1); HTC: >= 0.75 HIGH, > 0 LOW, else NONE
 * Frame F is the index of the xrSyncActions call (one per client frame) from which on the value holds.
 *
 * Headless like Monado (XR_MND_headless): xrBeginSession focuses the session at once, there is no frame
 * loop (xrWaitFrame returns at once with display time 0, as Monado's does; the report counts such calls
 * as frame_loop_calls), and xrLocateSpace wants a time near now (the client converts its clock with
 * XR_KHR_convert_timespec_time): time 0 or a time more than 1 s off is XR_ERROR_TIME_INVALID.
 *
 * On xrDestroyInstance a report (file named by OPTIMUS_FAKEXR_REPORT) lists what the application did:
 * enabled extensions, profiles with suggested bindings, states entered, frames, hand trackers; one
 * report per instance, appended. A call on a session or space already destroyed is a failure.
 * The loader unloads the runtime with its instance, so what must outlive an instance (how many were
 * created, failures still due) lives in this process's environment (OPTIMUS_FAKEXR_*_N).
 */
#define _GNU_SOURCE
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <openxr/openxr.h>

#define EXPORT __attribute__((visibility("default")))

/* The loader negotiation structs (openxr_loader_negotiation.h is not in Debian's 1.0.20 headers). */
typedef enum XrLoaderInterfaceStructs {
  XR_LOADER_INTERFACE_STRUCT_UNINTIALIZED = 0,
  XR_LOADER_INTERFACE_STRUCT_LOADER_INFO,
  XR_LOADER_INTERFACE_STRUCT_API_LAYER_REQUEST,
  XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST,
  XR_LOADER_INTERFACE_STRUCT_API_LAYER_CREATE_INFO,
  XR_LOADER_INTERFACE_STRUCT_API_LAYER_NEXT_INFO,
  XR_LOADER_INTERFACE_STRUCTS_MAX_ENUM = 0x7FFFFFFF
} XrLoaderInterfaceStructs;
typedef struct XrNegotiateLoaderInfo {
  XrLoaderInterfaceStructs structType;
  uint32_t structVersion;
  size_t structSize;
  uint32_t minInterfaceVersion;
  uint32_t maxInterfaceVersion;
  XrVersion minApiVersion;
  XrVersion maxApiVersion;
} XrNegotiateLoaderInfo;
typedef struct XrNegotiateRuntimeRequest {
  XrLoaderInterfaceStructs structType;
  uint32_t structVersion;
  size_t structSize;
  uint32_t runtimeInterfaceVersion;
  XrVersion runtimeApiVersion;
  PFN_xrGetInstanceProcAddr getInstanceProcAddr;
} XrNegotiateRuntimeRequest;

/*
 * Body tracking (XR_FB_body_tracking 1.0.27, XR_META_body_tracking_full_body, XR_HTC_body_tracking,
 * XR_BD_body_tracking: all newer than Debian's 1.0.20 headers). The values and layouts are the
 * registry's; the four system property structs and the three joint location structs share a layout.
 */
#define TYPE_BODY_TRACKER_CREATE_INFO_FB 1000076001
#define TYPE_BODY_JOINTS_LOCATE_INFO_FB 1000076002
#define TYPE_SYSTEM_BODY_TRACKING_PROPERTIES_FB 1000076004
#define TYPE_BODY_JOINT_LOCATIONS_FB 1000076005
#define TYPE_SYSTEM_PROPERTIES_BODY_TRACKING_FULL_BODY_META 1000274000
#define BODY_JOINT_SET_FULL_BODY_META 1000274000
#define TYPE_SYSTEM_BODY_TRACKING_PROPERTIES_HTC 1000320000
#define TYPE_BODY_TRACKER_CREATE_INFO_HTC 1000320001
#define TYPE_BODY_JOINTS_LOCATE_INFO_HTC 1000320002
#define TYPE_BODY_JOINT_LOCATIONS_HTC 1000320003
#define TYPE_BODY_TRACKER_CREATE_INFO_BD 1000385001
#define TYPE_BODY_JOINTS_LOCATE_INFO_BD 1000385002
#define TYPE_BODY_JOINT_LOCATIONS_BD 1000385003
#define TYPE_SYSTEM_BODY_TRACKING_PROPERTIES_BD 1000385004
typedef struct { XrStructureType type; void *next; XrBool32 supportsBodyTracking; } SystemBodyTrackingProperties;
typedef struct { XrStructureType type; const void *next; int32_t jointSet; } BodyTrackerCreateInfo;
typedef struct { XrStructureType type; const void *next; XrSpace baseSpace; XrTime time; } BodyJointsLocateInfo;
typedef struct { XrSpaceLocationFlags locationFlags; XrPosef pose; } BodyJointLocation;
typedef struct { XrStructureType type; void *next; XrBool32 isActive; float confidence; uint32_t jointCount;
                 BodyJointLocation *jointLocations; uint32_t skeletonChangedCount; XrTime time; } BodyJointLocationsFB;
typedef struct { XrStructureType type; void *next; XrSpaceLocationFlags combinedLocationFlags; int32_t confidenceLevel;
                 uint32_t jointLocationCount; BodyJointLocation *jointLocations; uint32_t skeletonGenerationId; } BodyJointLocationsHTC;
typedef struct { XrStructureType type; void *next; XrBool32 allJointPosesTracked; uint32_t jointLocationCount;
                 BodyJointLocation *jointLocations; } BodyJointLocationsBD;
typedef void *BodyTracker;

/* ---------------------------------------------------------------- state */

enum { HAND_LEFT = 0, HAND_RIGHT = 1, NHANDS = 2, NJOINTS = 26, NBODY = 84 };
enum { MAX_PATHS = 512, MAX_ACTIONS = 64, MAX_BINDINGS = 512, MAX_EVENTS = 64, MAX_ENTRIES = 8192,
       MAX_INPUTS = 64, MAX_SPACES = 64 };

typedef enum { E_HEAD, E_GRIP, E_AIM, E_INPUT, E_JOINT, E_HAND_ACTIVE, E_BODY_JOINT, E_BODY_ACTIVE, E_BODY_CONFIDENCE } EntryKind;

typedef struct {
  long frame;
  EntryKind kind;
  int hand;
  int joint;
  char component[96];
  double v[8];
} Entry;

typedef struct {
  XrPosef head;
  XrPosef grip[NHANDS], aim[NHANDS];
  int hand_active[NHANDS];
  XrPosef joints[NHANDS][NJOINTS];
  float radius[NHANDS][NJOINTS];
  int njoint_set[NHANDS];
  int ninputs[NHANDS];
  char input_name[NHANDS][MAX_INPUTS][96];
  float input_v[NHANDS][MAX_INPUTS][2];
  XrPosef body[NBODY];
  XrSpaceLocationFlags body_flags[NBODY];
  int body_active;
  float body_confidence;
} Snapshot;

typedef struct { XrActionType type; char name[XR_MAX_ACTION_NAME_SIZE]; int alive; } Action;
typedef struct { XrPath profile; int action; XrPath binding; } Binding;
typedef struct { int kind; /* 0 reference, 1 action */ XrReferenceSpaceType ref; int action; XrPath sub; XrPosef offset; int alive; } Space;

static struct {
  int instance_alive;
  char paths[MAX_PATHS][XR_MAX_PATH_LENGTH];
  int npaths;
  Action actions[MAX_ACTIONS];
  int nactions;
  Binding bindings[MAX_BINDINGS];
  int nbindings;
  Space spaces[MAX_SPACES];
  int nspaces;
  XrEventDataBuffer events[MAX_EVENTS];
  int ev_head, ev_count;
  /* script */
  Entry entries[MAX_ENTRIES];
  int nentries;
  double period_ms;
  long exit_after, loss_after, session_lost_after, instance_lost_after, unavailable_for;
  int session_lost, instance_lost, sessions_created, unavailable_left;
  long instance_index;
  XrSession session_handle;
  int tracker_alive[NHANDS];
  int no_stage, no_hand_tracking;
  char body_offered[512];
  int body_unsupported, body_create_fails;
  /* the one body tracker: family 'F' (FB, META full body), 'H' (HTC), 'B' (BD) */
  int body_tracker_alive, body_trackers_created, body_trackers_destroyed, body_joint_count;
  char body_family;
  long body_locates;
  char profile[XR_MAX_PATH_LENGTH];
  /* session */
  int session_alive, running, attached;
  XrSessionState state;
  int64_t t0;
  long frames;          /* xrSyncActions calls: the client's frames */
  long frame_loop_calls; /* xrWaitFrame, xrBeginFrame, xrEndFrame: a headless client needs none */
  int stop_requested, loss_sent;
  int hand_trackers;
  long hand_locates;
  long syncs;
  /* report */
  char enabled_ext[1024];
  char states_seen[512];
  char profiles_suggested[2048];
  char failures[2048];
} g;

static int64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* A counter kept in the environment: it outlives the runtime library between instances. */
static long env_counter(const char *name) {
  const char *v = getenv(name);
  return v ? atol(v) : 0;
}
static void set_env_counter(const char *name, long v) {
  char buf[32];
  snprintf(buf, sizeof buf, "%ld", v);
  setenv(name, buf, 1);
}

static void failure(const char *fmt, ...) {
  char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  fprintf(stderr, "fake-openxr: %s\n", buf);
  size_t n = strlen(g.failures);
  snprintf(g.failures + n, sizeof g.failures - n, "%s;", buf);
}

/* Every call on a session checks its handle: one destroyed (or never created) is the client's bug. */
static XrResult session_call(XrSession s, const char *fn) {
  if (!g.session_alive || s != g.session_handle) {
    failure("%s on a destroyed session", fn);
    return XR_ERROR_HANDLE_INVALID;
  }
  if (g.instance_lost) return XR_ERROR_INSTANCE_LOST;
  if (g.session_lost) return XR_ERROR_SESSION_LOST;
  return XR_SUCCESS;
}
#define SESSION_CALL(s) do { XrResult r_ = session_call((s), __func__ + 2); if (r_ != XR_SUCCESS) return r_; } while (0)

/* ---------------------------------------------------------------- pose math (x, y, z, w quaternions) */

static XrQuaternionf qmul(XrQuaternionf a, XrQuaternionf b) {
  XrQuaternionf r;
  r.w = a.w * b.w - a.x * b.x - a.y * b.y - a.z * b.z;
  r.x = a.w * b.x + a.x * b.w + a.y * b.z - a.z * b.y;
  r.y = a.w * b.y - a.x * b.z + a.y * b.w + a.z * b.x;
  r.z = a.w * b.z + a.x * b.y - a.y * b.x + a.z * b.w;
  return r;
}
static XrQuaternionf qconj(XrQuaternionf q) { XrQuaternionf r = {-q.x, -q.y, -q.z, q.w}; return r; }
static XrVector3f qrot(XrQuaternionf q, XrVector3f v) {
  XrQuaternionf p = {v.x, v.y, v.z, 0};
  XrQuaternionf r = qmul(qmul(q, p), qconj(q));
  XrVector3f o = {r.x, r.y, r.z};
  return o;
}
static XrPosef pmul(XrPosef a, XrPosef b) {
  XrPosef r;
  XrVector3f t = qrot(a.orientation, b.position);
  r.position.x = a.position.x + t.x;
  r.position.y = a.position.y + t.y;
  r.position.z = a.position.z + t.z;
  r.orientation = qmul(a.orientation, b.orientation);
  return r;
}
static XrPosef pinv(XrPosef a) {
  XrPosef r;
  r.orientation = qconj(a.orientation);
  XrVector3f t = qrot(r.orientation, a.position);
  r.position.x = -t.x; r.position.y = -t.y; r.position.z = -t.z;
  return r;
}
static XrPosef pidentity(void) { XrPosef p = {{0, 0, 0, 1}, {0, 0, 0}}; return p; }
static XrPosef pose_of(const double *v) {
  XrPosef p;
  p.position.x = (float)v[0]; p.position.y = (float)v[1]; p.position.z = (float)v[2];
  p.orientation.x = (float)v[3]; p.orientation.y = (float)v[4]; p.orientation.z = (float)v[5]; p.orientation.w = (float)v[6];
  return p;
}

/* ---------------------------------------------------------------- script */

static int hand_of(const char *s) {
  if (strcmp(s, "left") == 0) return HAND_LEFT;
  if (strcmp(s, "right") == 0) return HAND_RIGHT;
  return -1;
}

static void load_script(void) {
  g.period_ms = 1000.0 / 90.0;
  g.exit_after = -1;
  g.loss_after = -1;
  g.session_lost_after = g.instance_lost_after = -1;
  g.unavailable_for = 0;
  strcpy(g.profile, "/interaction_profiles/khr/simple_controller");
  g.nentries = 0;
  g.no_stage = g.no_hand_tracking = 0;
  g.body_offered[0] = 0;
  g.body_unsupported = g.body_create_fails = 0;
  const char *file = getenv("OPTIMUS_FAKEXR_SCRIPT");
  if (!file || !*file) return;
  FILE *f = fopen(file, "r");
  if (!f) { failure("cannot open script %s", file); return; }
  char line[512];
  while (fgets(line, sizeof line, f)) {
    char a[96] = "", b[96] = "", c[96] = "";
    double v[9] = {0};
    long frame;
    if (line[0] == '#' || line[0] == '\n') continue;
    if (sscanf(line, "period_ms %lf", &g.period_ms) == 1) continue;
    if (sscanf(line, "exit_after %ld", &g.exit_after) == 1) continue;
    if (sscanf(line, "loss_after %ld", &g.loss_after) == 1) continue;
    if (sscanf(line, "session_lost_after %ld", &g.session_lost_after) == 1) continue;
    if (sscanf(line, "instance_lost_after %ld", &g.instance_lost_after) == 1) continue;
    if (sscanf(line, "unavailable_for %ld", &g.unavailable_for) == 1) continue;
    if (strncmp(line, "no_stage", 8) == 0) { g.no_stage = 1; continue; }
    if (strncmp(line, "no_hand_tracking", 16) == 0) { g.no_hand_tracking = 1; continue; }
    if (sscanf(line, "profile %255s", g.profile) == 1) continue;
    if (strncmp(line, "body_tracking", 13) == 0) { snprintf(g.body_offered, sizeof g.body_offered, "%s", line + 13); continue; }
    if (strncmp(line, "body_unsupported", 16) == 0) { g.body_unsupported = 1; continue; }
    if (strncmp(line, "body_create_fails", 17) == 0) { g.body_create_fails = 1; continue; }
    if (g.nentries >= MAX_ENTRIES) { failure("script too long"); break; }
    Entry *e = &g.entries[g.nentries];
    memset(e, 0, sizeof *e);
    if (sscanf(line, "%ld %95s", &frame, a) != 2) { failure("bad script line: %s", line); continue; }
    e->frame = frame;
    if (strcmp(a, "head") == 0 &&
        sscanf(line, "%*s %*s %lf %lf %lf %lf %lf %lf %lf", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) == 7) {
      e->kind = E_HEAD;
    } else if ((strcmp(a, "grip") == 0 || strcmp(a, "aim") == 0) &&
        sscanf(line, "%*s %*s %95s %lf %lf %lf %lf %lf %lf %lf", b, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6]) == 8) {
      e->kind = a[0] == 'g' ? E_GRIP : E_AIM;
      e->hand = hand_of(b);
    } else if (strcmp(a, "input") == 0 && sscanf(line, "%*s %*s %95s %95s %lf %lf", b, c, &v[0], &v[1]) >= 3) {
      e->kind = E_INPUT;
      e->hand = hand_of(b);
      strcpy(e->component, c);
    } else if (strcmp(a, "joint") == 0 &&
        sscanf(line, "%*s %*s %95s %d %lf %lf %lf %lf %lf %lf %lf %lf", b, &e->joint, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) == 10) {
      e->kind = E_JOINT;
      e->hand = hand_of(b);
      if (e->joint < 0 || e->joint >= NJOINTS) { failure("bad joint index in: %s", line); continue; }
    } else if (strcmp(a, "hand_active") == 0 && sscanf(line, "%*s %*s %95s %lf", b, &v[0]) == 2) {
      e->kind = E_HAND_ACTIVE;
      e->hand = hand_of(b);
    } else if (strcmp(a, "body_joint") == 0 &&
        sscanf(line, "%*s %*s %d %lf %lf %lf %lf %lf %lf %lf %lf", &e->joint, &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) >= 8) {
      if (sscanf(line, "%*s %*s %*d %*f %*f %*f %*f %*f %*f %*f %lf", &v[7]) != 1) v[7] = 15;
      e->kind = E_BODY_JOINT;
      if (e->joint < 0 || e->joint >= NBODY) { failure("bad body joint index in: %s", line); continue; }
    } else if (strcmp(a, "body_active") == 0 && sscanf(line, "%*s %*s %lf", &v[0]) == 1) {
      e->kind = E_BODY_ACTIVE;
    } else if (strcmp(a, "body_confidence") == 0 && sscanf(line, "%*s %*s %lf", &v[0]) == 1) {
      e->kind = E_BODY_CONFIDENCE;
    } else {
      failure("bad script line: %s", line);
      continue;
    }
    if (e->kind != E_HEAD && e->kind < E_BODY_JOINT && e->hand < 0) { failure("bad hand in: %s", line); continue; }
    memcpy(e->v, v, sizeof e->v);
    g.nentries++;
  }
  fclose(f);
}

static void begin_stopping(void);

/* The client's current frame (its last xrSyncActions); t was checked to be near now. */
static long frame_at(XrTime t) {
  (void)t;
  return g.frames > 0 ? g.frames - 1 : 0;
}

static int time_valid(XrTime t) {
  int64_t d = t - now_ns();
  return t > 0 && d < 1000000000LL && d > -1000000000LL;
}

static void snapshot(long frame, Snapshot *s) {
  memset(s, 0, sizeof *s);
  s->head = pidentity();
  s->body_confidence = 1;
  for (int j = 0; j < NBODY; j++) s->body[j] = pidentity();
  for (int h = 0; h < NHANDS; h++) {
    s->grip[h] = s->aim[h] = pidentity();
    for (int j = 0; j < NJOINTS; j++) s->joints[h][j] = pidentity();
  }
  for (int i = 0; i < g.nentries; i++) {
    Entry *e = &g.entries[i];
    if (e->frame > frame) continue;
    switch (e->kind) {
      case E_HEAD: s->head = pose_of(e->v); break;
      case E_GRIP: s->grip[e->hand] = pose_of(e->v); break;
      case E_AIM: s->aim[e->hand] = pose_of(e->v); break;
      case E_JOINT:
        s->joints[e->hand][e->joint] = pose_of(e->v);
        s->radius[e->hand][e->joint] = (float)e->v[7];
        s->njoint_set[e->hand]++;
        break;
      case E_HAND_ACTIVE: s->hand_active[e->hand] = e->v[0] != 0; break;
      case E_BODY_JOINT:
        s->body[e->joint] = pose_of(e->v);
        s->body_flags[e->joint] = (XrSpaceLocationFlags)e->v[7];
        break;
      case E_BODY_ACTIVE: s->body_active = e->v[0] != 0; break;
      case E_BODY_CONFIDENCE: s->body_confidence = (float)e->v[0]; break;
      case E_INPUT: {
        int h = e->hand, k;
        for (k = 0; k < s->ninputs[h]; k++) if (strcmp(s->input_name[h][k], e->component) == 0) break;
        if (k == s->ninputs[h]) {
          if (k >= MAX_INPUTS) break;
          strcpy(s->input_name[h][k], e->component);
          s->ninputs[h]++;
        }
        s->input_v[h][k][0] = (float)e->v[0];
        s->input_v[h][k][1] = (float)e->v[1];
        break;
      }
    }
  }
}

/* ---------------------------------------------------------------- events and states */

static const char *state_name(XrSessionState s) {
  switch (s) {
    case XR_SESSION_STATE_IDLE: return "IDLE";
    case XR_SESSION_STATE_READY: return "READY";
    case XR_SESSION_STATE_SYNCHRONIZED: return "SYNCHRONIZED";
    case XR_SESSION_STATE_VISIBLE: return "VISIBLE";
    case XR_SESSION_STATE_FOCUSED: return "FOCUSED";
    case XR_SESSION_STATE_STOPPING: return "STOPPING";
    case XR_SESSION_STATE_LOSS_PENDING: return "LOSS_PENDING";
    case XR_SESSION_STATE_EXITING: return "EXITING";
    default: return "UNKNOWN";
  }
}

static void push_event(const void *ev, size_t size) {
  if (g.ev_count >= MAX_EVENTS) { failure("event queue overflow"); return; }
  XrEventDataBuffer *slot = &g.events[(g.ev_head + g.ev_count) % MAX_EVENTS];
  memset(slot, 0, sizeof *slot);
  memcpy(slot, ev, size);
  g.ev_count++;
}

static void set_state(XrSessionState s) {
  g.state = s;
  XrEventDataSessionStateChanged ev = {XR_TYPE_EVENT_DATA_SESSION_STATE_CHANGED, NULL, 0, 0, 0};
  ev.session = g.session_handle;
  ev.state = s;
  ev.time = now_ns();
  push_event(&ev, sizeof ev);
  size_t n = strlen(g.states_seen);
  snprintf(g.states_seen + n, sizeof g.states_seen - n, "%s%s", n ? "," : "", state_name(s));
}

/* ---------------------------------------------------------------- paths */

static XrPath intern(const char *s) {
  for (int i = 0; i < g.npaths; i++) if (strcmp(g.paths[i], s) == 0) return (XrPath)(i + 1);
  if (g.npaths >= MAX_PATHS) return XR_NULL_PATH;
  strncpy(g.paths[g.npaths], s, XR_MAX_PATH_LENGTH - 1);
  return (XrPath)(++g.npaths);
}
static const char *path_str(XrPath p) { return p >= 1 && (int)p <= g.npaths ? g.paths[p - 1] : ""; }

/* ---------------------------------------------------------------- global functions */

static const char *const EXTENSIONS[] = {"XR_MND_headless", "XR_EXT_hand_tracking", "XR_KHR_convert_timespec_time",
  "XR_FB_body_tracking", "XR_META_body_tracking_full_body", "XR_HTC_body_tracking", "XR_BD_body_tracking"};
enum { NEXT = 7, FIRST_BODY_EXT = 3 };

/* name is one of the words of the space-separated list */
static int word_in(const char *list, const char *name) {
  size_t n = strlen(name);
  for (const char *p = strstr(list, name); p; p = strstr(p + 1, name)) {
    if ((p == list || p[-1] == ' ' || p[-1] == ',') && (p[n] == 0 || p[n] == ' ' || p[n] == ',' || p[n] == '\n')) return 1;
  }
  return 0;
}

static int extension_offered(const char *name) {
  for (int i = 0; i < NEXT; i++) {
    if (strcmp(name, EXTENSIONS[i]) != 0) continue;
    if (i >= FIRST_BODY_EXT) return word_in(g.body_offered, name);
    return !(g.no_hand_tracking && i == 1);
  }
  return 0;
}

static int extension_enabled(const char *name) { return word_in(g.enabled_ext, name); }

static XrResult XRAPI_CALL f_xrEnumerateInstanceExtensionProperties(const char *layer, uint32_t cap, uint32_t *count, XrExtensionProperties *props) {
  if (layer && *layer) return XR_ERROR_API_LAYER_NOT_PRESENT;
  load_script(); /* hand-tracking availability comes from the script */
  uint32_t n = 0;
  for (int i = 0; i < NEXT; i++) {
    if (!extension_offered(EXTENSIONS[i])) continue;
    if (cap > 0) {
      if (n >= cap) return XR_ERROR_SIZE_INSUFFICIENT;
      strcpy(props[n].extensionName, EXTENSIONS[i]);
      props[n].extensionVersion = 1;
    }
    n++;
  }
  *count = n;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrEnumerateApiLayerProperties(uint32_t cap, uint32_t *count, XrApiLayerProperties *props) {
  (void)cap; (void)props;
  *count = 0;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrCreateInstance(const XrInstanceCreateInfo *info, XrInstance *instance) {
  if (g.instance_alive) return XR_ERROR_LIMIT_REACHED;
  if (XR_VERSION_MAJOR(info->applicationInfo.apiVersion) != 1) return XR_ERROR_API_VERSION_UNSUPPORTED;
  long gone = env_counter("OPTIMUS_FAKEXR_RUNTIME_GONE_N");
  if (gone > 0) { /* the runtime went away with the last instance and is not back yet */
    set_env_counter("OPTIMUS_FAKEXR_RUNTIME_GONE_N", gone - 1);
    return XR_ERROR_RUNTIME_UNAVAILABLE;
  }
  long instances = env_counter("OPTIMUS_FAKEXR_INSTANCES_N");
  set_env_counter("OPTIMUS_FAKEXR_INSTANCES_N", instances + 1);
  memset(&g, 0, sizeof g);
  g.instance_index = instances;
  load_script();
  if (instances > 0) g.instance_lost_after = -1; /* only the first instance is lost */
  for (uint32_t i = 0; i < info->enabledExtensionCount; i++) {
    if (!extension_offered(info->enabledExtensionNames[i])) return XR_ERROR_EXTENSION_NOT_PRESENT;
    size_t n = strlen(g.enabled_ext);
    snprintf(g.enabled_ext + n, sizeof g.enabled_ext - n, "%s%s", n ? "," : "", info->enabledExtensionNames[i]);
  }
  g.instance_alive = 1;
  *instance = (XrInstance)(uintptr_t)0x1001;
  return XR_SUCCESS;
}

static void write_report(void) {
  const char *file = getenv("OPTIMUS_FAKEXR_REPORT");
  if (!file || !*file) return;
  FILE *f = fopen(file, "a");
  if (!f) return;
  fprintf(f, "extensions=%s\n", g.enabled_ext);
  fprintf(f, "profiles=%s\n", g.profiles_suggested);
  fprintf(f, "states=%s\n", g.states_seen);
  fprintf(f, "frames=%ld\n", g.frames);
  fprintf(f, "frame_loop_calls=%ld\n", g.frame_loop_calls);
  fprintf(f, "syncs=%ld\n", g.syncs);
  fprintf(f, "hand_trackers=%d\n", g.hand_trackers);
  fprintf(f, "hand_locates=%ld\n", g.hand_locates);
  fprintf(f, "body_trackers=%d\n", g.body_tracker_alive);
  fprintf(f, "body_trackers_created=%d\n", g.body_trackers_created);
  fprintf(f, "body_trackers_destroyed=%d\n", g.body_trackers_destroyed);
  fprintf(f, "body_joint_count=%d\n", g.body_joint_count);
  fprintf(f, "body_locates=%ld\n", g.body_locates);
  fprintf(f, "sessions=%d\n", g.sessions_created);
  fprintf(f, "failures=%s\n", g.failures);
  fclose(f);
}

static XrResult XRAPI_CALL f_xrDestroyInstance(XrInstance instance) {
  (void)instance;
  write_report();
  g.instance_alive = 0;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrGetInstanceProperties(XrInstance instance, XrInstanceProperties *props) {
  (void)instance;
  props->runtimeVersion = XR_MAKE_VERSION(0, 1, 0);
  snprintf(props->runtimeName, XR_MAX_RUNTIME_NAME_SIZE, "optimus fake runtime");
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrPollEvent(XrInstance instance, XrEventDataBuffer *out) {
  (void)instance;
  if (g.ev_count == 0) return g.instance_lost ? XR_ERROR_INSTANCE_LOST : XR_EVENT_UNAVAILABLE;
  memcpy(out, &g.events[g.ev_head], sizeof *out);
  g.ev_head = (g.ev_head + 1) % MAX_EVENTS;
  g.ev_count--;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrResultToString(XrInstance instance, XrResult value, char buffer[XR_MAX_RESULT_STRING_SIZE]) {
  (void)instance;
  snprintf(buffer, XR_MAX_RESULT_STRING_SIZE, "XR_RESULT_%d", (int)value);
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrStructureTypeToString(XrInstance instance, XrStructureType value, char buffer[XR_MAX_STRUCTURE_NAME_SIZE]) {
  (void)instance;
  snprintf(buffer, XR_MAX_STRUCTURE_NAME_SIZE, "XR_STRUCTURE_TYPE_%d", (int)value);
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrGetSystem(XrInstance instance, const XrSystemGetInfo *info, XrSystemId *systemId) {
  (void)instance;
  if (g.instance_lost) return XR_ERROR_INSTANCE_LOST;
  if (info->formFactor != XR_FORM_FACTOR_HEAD_MOUNTED_DISPLAY) return XR_ERROR_FORM_FACTOR_UNSUPPORTED;
  if (g.unavailable_left > 0) { g.unavailable_left--; return XR_ERROR_FORM_FACTOR_UNAVAILABLE; }
  *systemId = 42;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrGetSystemProperties(XrInstance instance, XrSystemId systemId, XrSystemProperties *props) {
  (void)instance;
  if (systemId != 42) return XR_ERROR_SYSTEM_INVALID;
  props->systemId = systemId;
  props->vendorId = 0xF00D;
  snprintf(props->systemName, XR_MAX_SYSTEM_NAME_SIZE, "optimus fake headless rig");
  props->graphicsProperties.maxSwapchainImageWidth = 0;
  props->graphicsProperties.maxSwapchainImageHeight = 0;
  props->graphicsProperties.maxLayerCount = 0;
  props->trackingProperties.orientationTracking = XR_TRUE;
  props->trackingProperties.positionTracking = XR_TRUE;
  for (XrBaseOutStructure *n = (XrBaseOutStructure *)props->next; n; n = n->next) {
    if (n->type == XR_TYPE_SYSTEM_HAND_TRACKING_PROPERTIES_EXT) {
      ((XrSystemHandTrackingPropertiesEXT *)n)->supportsHandTracking = g.no_hand_tracking ? XR_FALSE : XR_TRUE;
    }
    const char *body_ext = n->type == TYPE_SYSTEM_BODY_TRACKING_PROPERTIES_FB ? "XR_FB_body_tracking"
        : n->type == TYPE_SYSTEM_PROPERTIES_BODY_TRACKING_FULL_BODY_META ? "XR_META_body_tracking_full_body"
        : n->type == TYPE_SYSTEM_BODY_TRACKING_PROPERTIES_HTC ? "XR_HTC_body_tracking"
        : n->type == TYPE_SYSTEM_BODY_TRACKING_PROPERTIES_BD ? "XR_BD_body_tracking" : NULL;
    if (body_ext) {
      if (!extension_enabled(body_ext)) failure("%s properties chained without enabling it", body_ext);
      ((SystemBodyTrackingProperties *)n)->supportsBodyTracking = !g.body_unsupported && extension_enabled(body_ext);
    }
  }
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrEnumerateViewConfigurations(XrInstance i, XrSystemId s, uint32_t cap, uint32_t *count, XrViewConfigurationType *types) {
  (void)i; (void)s; (void)cap; (void)types;
  *count = 0; /* headless: nothing to render */
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrEnumerateEnvironmentBlendModes(XrInstance i, XrSystemId s, XrViewConfigurationType v, uint32_t cap, uint32_t *count, XrEnvironmentBlendMode *modes) {
  (void)i; (void)s; (void)v; (void)cap; (void)count; (void)modes;
  return XR_ERROR_VIEW_CONFIGURATION_TYPE_UNSUPPORTED;
}

static XrResult XRAPI_CALL f_xrStringToPath(XrInstance instance, const char *s, XrPath *path) {
  (void)instance;
  if (!s || s[0] != '/') return XR_ERROR_PATH_FORMAT_INVALID;
  *path = intern(s);
  return *path == XR_NULL_PATH ? XR_ERROR_PATH_COUNT_EXCEEDED : XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrPathToString(XrInstance instance, XrPath path, uint32_t cap, uint32_t *count, char *buffer) {
  (void)instance;
  if (path < 1 || (int)path > g.npaths) return XR_ERROR_PATH_INVALID;
  const char *s = path_str(path);
  uint32_t n = (uint32_t)strlen(s) + 1;
  *count = n;
  if (cap == 0) return XR_SUCCESS;
  if (cap < n) return XR_ERROR_SIZE_INSUFFICIENT;
  memcpy(buffer, s, n);
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrConvertTimespecTimeToTimeKHR(XrInstance i, const struct timespec *ts, XrTime *t) {
  (void)i;
  *t = (XrTime)ts->tv_sec * 1000000000LL + ts->tv_nsec;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrConvertTimeToTimespecTimeKHR(XrInstance i, XrTime t, struct timespec *ts) {
  (void)i;
  ts->tv_sec = t / 1000000000LL;
  ts->tv_nsec = t % 1000000000LL;
  return XR_SUCCESS;
}

/* ---------------------------------------------------------------- actions */

static int action_index(XrAction a) { return (int)(uintptr_t)a - 0x3000; }

static XrResult XRAPI_CALL f_xrCreateActionSet(XrInstance i, const XrActionSetCreateInfo *info, XrActionSet *set) {
  (void)i;
  if (!info->actionSetName[0]) return XR_ERROR_NAME_INVALID;
  *set = (XrActionSet)(uintptr_t)0x2001;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrDestroyActionSet(XrActionSet set) { (void)set; return XR_SUCCESS; }

static XrResult XRAPI_CALL f_xrCreateAction(XrActionSet set, const XrActionCreateInfo *info, XrAction *action) {
  (void)set;
  if (g.attached) return XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
  if (g.nactions >= MAX_ACTIONS) return XR_ERROR_LIMIT_REACHED;
  for (uint32_t k = 0; k < info->countSubactionPaths; k++) {
    const char *p = path_str(info->subactionPaths[k]);
    if (strcmp(p, "/user/hand/left") && strcmp(p, "/user/hand/right") && strcmp(p, "/user/head")) return XR_ERROR_PATH_UNSUPPORTED;
  }
  Action *a = &g.actions[g.nactions];
  a->type = info->actionType;
  strncpy(a->name, info->actionName, sizeof a->name - 1);
  a->alive = 1;
  *action = (XrAction)(uintptr_t)(0x3000 + g.nactions++);
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrDestroyAction(XrAction a) { int k = action_index(a); if (k >= 0 && k < g.nactions) g.actions[k].alive = 0; return XR_SUCCESS; }

static XrResult XRAPI_CALL f_xrSuggestInteractionProfileBindings(XrInstance i, const XrInteractionProfileSuggestedBinding *s) {
  (void)i;
  const char *profile = path_str(s->interactionProfile);
  if (strncmp(profile, "/interaction_profiles/", 22) != 0) return XR_ERROR_PATH_UNSUPPORTED;
  if (g.attached) return XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
  int n = 0;
  for (uint32_t k = 0; k < s->countSuggestedBindings; k++) {
    const char *b = path_str(s->suggestedBindings[k].binding);
    if (strncmp(b, "/user/", 6) != 0) return XR_ERROR_PATH_UNSUPPORTED;
    int ai = action_index(s->suggestedBindings[k].action);
    if (ai < 0 || ai >= g.nactions) return XR_ERROR_HANDLE_INVALID;
    if (g.nbindings >= MAX_BINDINGS) return XR_ERROR_LIMIT_REACHED;
    g.bindings[g.nbindings].profile = s->interactionProfile;
    g.bindings[g.nbindings].action = ai;
    g.bindings[g.nbindings].binding = s->suggestedBindings[k].binding;
    g.nbindings++;
    n++;
  }
  size_t len = strlen(g.profiles_suggested);
  snprintf(g.profiles_suggested + len, sizeof g.profiles_suggested - len, "%s%s:%d", len ? "," : "", profile, n);
  return XR_SUCCESS;
}

static int profile_bound(void) {
  XrPath p = intern(g.profile);
  for (int k = 0; k < g.nbindings; k++) if (g.bindings[k].profile == p) return 1;
  return 0;
}

static XrResult XRAPI_CALL f_xrAttachSessionActionSets(XrSession s, const XrSessionActionSetsAttachInfo *info) {
  (void)s;
  SESSION_CALL(s);
  if (g.attached) return XR_ERROR_ACTIONSETS_ALREADY_ATTACHED;
  if (info->countActionSets == 0) return XR_ERROR_VALIDATION_FAILURE;
  g.attached = 1;
  if (profile_bound()) {
    XrEventDataInteractionProfileChanged ev = {XR_TYPE_EVENT_DATA_INTERACTION_PROFILE_CHANGED, NULL, 0};
    ev.session = g.session_handle;
    push_event(&ev, sizeof ev);
  }
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrGetCurrentInteractionProfile(XrSession s, XrPath topLevel, XrInteractionProfileState *out) {
  (void)s;
  SESSION_CALL(s);
  if (!g.attached) return XR_ERROR_ACTIONSET_NOT_ATTACHED;
  const char *top = path_str(topLevel);
  out->interactionProfile = XR_NULL_PATH;
  if ((strcmp(top, "/user/hand/left") == 0 || strcmp(top, "/user/hand/right") == 0) && profile_bound()) {
    out->interactionProfile = intern(g.profile);
  } else if (strcmp(top, "/user/hand/left") && strcmp(top, "/user/hand/right") && strcmp(top, "/user/head")) {
    return XR_ERROR_PATH_UNSUPPORTED;
  }
  return XR_SUCCESS;
}

/* The scripted value of `action` for `hand` through the bindings suggested for the held profile.
 * Returns 1 when some binding applies; kind: 0 float/bool value, 1 vector2, 2 grip pose, 3 aim pose. */
static int resolve(int action, int hand, const Snapshot *s, float out[2], int *kind) {
  XrPath profile = intern(g.profile);
  const char *prefix = hand == HAND_LEFT ? "/user/hand/left" : "/user/hand/right";
  size_t plen = strlen(prefix);
  for (int k = 0; k < g.nbindings; k++) {
    Binding *b = &g.bindings[k];
    if (b->profile != profile || b->action != action) continue;
    const char *path = path_str(b->binding);
    if (strncmp(path, prefix, plen) != 0) continue;
    const char *component = path + plen;
    if (strcmp(component, "/input/grip/pose") == 0) { *kind = 2; return 1; }
    if (strcmp(component, "/input/aim/pose") == 0) { *kind = 3; return 1; }
    out[0] = out[1] = 0;
    *kind = 0;
    for (int i = 0; i < s->ninputs[hand]; i++) {
      const char *name = s->input_name[hand][i];
      /* a binding to ".../trigger" accepts the scripted ".../trigger/value" */
      if (strcmp(name, component) == 0 || (strncmp(name, component, strlen(component)) == 0 && name[strlen(component)] == '/')) {
        out[0] = s->input_v[hand][i][0];
        out[1] = s->input_v[hand][i][1];
        if (strstr(component, "thumbstick") && !strstr(component, "click") && !strstr(component, "touch")) *kind = 1;
        if (strstr(component, "trackpad") && !strstr(component, "click") && !strstr(component, "touch")) *kind = 1;
        return 1;
      }
    }
    return 1; /* bound, but the script never moved it: rest value */
  }
  return 0;
}

static int focused(void) { return g.state == XR_SESSION_STATE_FOCUSED; }

static Snapshot g_current;
static XrTime g_sync_time;

static int hands_for(XrPath sub, int *hands) {
  const char *p = path_str(sub);
  if (sub == XR_NULL_PATH) { hands[0] = HAND_LEFT; hands[1] = HAND_RIGHT; return 2; }
  if (strcmp(p, "/user/hand/left") == 0) { hands[0] = HAND_LEFT; return 1; }
  if (strcmp(p, "/user/hand/right") == 0) { hands[0] = HAND_RIGHT; return 1; }
  return -1;
}

static XrResult XRAPI_CALL f_xrSyncActions(XrSession s, const XrActionsSyncInfo *info) {
  (void)s;
  SESSION_CALL(s); (void)info;
  if (!g.attached) return XR_ERROR_ACTIONSET_NOT_ATTACHED;
  g.syncs++;
  /* each sync starts a client frame: inputs and poses of that frame hold until the next one */
  if (g.running && !g.loss_sent) {
    g.frames++;
    int first = g.sessions_created == 1;
    if (g.exit_after >= 0 && g.frames == g.exit_after && !g.stop_requested) { g.stop_requested = 1; begin_stopping(); }
    if (g.loss_after >= 0 && g.frames == g.loss_after && first) {
      g.loss_sent = 1;
      set_state(XR_SESSION_STATE_LOSS_PENDING);
      g.unavailable_left = (int)g.unavailable_for;
    }
    if (g.session_lost_after >= 0 && g.frames == g.session_lost_after && first) {
      g.loss_sent = 1;
      set_state(XR_SESSION_STATE_LOSS_PENDING);
      g.session_lost = 1; /* this very call already fails */
      g.unavailable_left = (int)g.unavailable_for;
      return XR_ERROR_SESSION_LOST;
    }
    if (g.instance_lost_after >= 0 && g.frames == g.instance_lost_after) {
      g.loss_sent = 1;
      XrEventDataInstanceLossPending ev = {XR_TYPE_EVENT_DATA_INSTANCE_LOSS_PENDING, NULL, 0};
      ev.lossTime = now_ns();
      push_event(&ev, sizeof ev);
      g.instance_lost = 1;
      set_env_counter("OPTIMUS_FAKEXR_RUNTIME_GONE_N", g.unavailable_for);
      return XR_ERROR_INSTANCE_LOST;
    }
  }
  g_sync_time = now_ns();
  snapshot(frame_at(g_sync_time), &g_current);
  return focused() ? XR_SUCCESS : XR_SESSION_NOT_FOCUSED;
}

static XrResult get_value(const XrActionStateGetInfo *info, XrActionType want, float v[2], int *active) {
  int k = action_index(info->action);
  if (k < 0 || k >= g.nactions) return XR_ERROR_HANDLE_INVALID;
  if (g.actions[k].type != want) return XR_ERROR_ACTION_TYPE_MISMATCH;
  int hands[2];
  int n = hands_for(info->subactionPath, hands);
  if (n < 0) return XR_ERROR_PATH_UNSUPPORTED;
  v[0] = v[1] = 0;
  *active = 0;
  if (!focused()) return XR_SUCCESS;
  for (int i = 0; i < n; i++) {
    float x[2];
    int kind;
    if (resolve(k, hands[i], &g_current, x, &kind) && kind <= 1) {
      *active = 1;
      if (fabsf(x[0]) > fabsf(v[0])) v[0] = x[0];
      if (fabsf(x[1]) > fabsf(v[1])) v[1] = x[1];
    }
  }
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrGetActionStateBoolean(XrSession s, const XrActionStateGetInfo *info, XrActionStateBoolean *st) {
  (void)s;
  SESSION_CALL(s);
  float v[2]; int active;
  XrResult r = get_value(info, XR_ACTION_TYPE_BOOLEAN_INPUT, v, &active);
  if (r != XR_SUCCESS) return r;
  st->isActive = active;
  st->currentState = v[0] >= 0.5f;
  st->changedSinceLastSync = XR_FALSE;
  st->lastChangeTime = g_sync_time;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrGetActionStateFloat(XrSession s, const XrActionStateGetInfo *info, XrActionStateFloat *st) {
  (void)s;
  SESSION_CALL(s);
  float v[2]; int active;
  XrResult r = get_value(info, XR_ACTION_TYPE_FLOAT_INPUT, v, &active);
  if (r != XR_SUCCESS) return r;
  st->isActive = active;
  st->currentState = v[0];
  st->changedSinceLastSync = XR_FALSE;
  st->lastChangeTime = g_sync_time;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrGetActionStateVector2f(XrSession s, const XrActionStateGetInfo *info, XrActionStateVector2f *st) {
  (void)s;
  SESSION_CALL(s);
  float v[2]; int active;
  XrResult r = get_value(info, XR_ACTION_TYPE_VECTOR2F_INPUT, v, &active);
  if (r != XR_SUCCESS) return r;
  st->isActive = active;
  st->currentState.x = v[0];
  st->currentState.y = v[1];
  st->changedSinceLastSync = XR_FALSE;
  st->lastChangeTime = g_sync_time;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrGetActionStatePose(XrSession s, const XrActionStateGetInfo *info, XrActionStatePose *st) {
  (void)s;
  SESSION_CALL(s);
  int k = action_index(info->action);
  if (k < 0 || k >= g.nactions) return XR_ERROR_HANDLE_INVALID;
  if (g.actions[k].type != XR_ACTION_TYPE_POSE_INPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
  int hands[2];
  int n = hands_for(info->subactionPath, hands);
  if (n < 0) return XR_ERROR_PATH_UNSUPPORTED;
  st->isActive = XR_FALSE;
  if (!focused()) return XR_SUCCESS;
  for (int i = 0; i < n; i++) {
    float x[2]; int kind;
    if (resolve(k, hands[i], &g_current, x, &kind) && kind >= 2) st->isActive = XR_TRUE;
  }
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrEnumerateBoundSourcesForAction(XrSession s, const XrBoundSourcesForActionEnumerateInfo *info, uint32_t cap, uint32_t *count, XrPath *out) {
  (void)s; (void)info; (void)cap; (void)out;
  *count = 0;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrApplyHapticFeedback(XrSession s, const XrHapticActionInfo *i, const XrHapticBaseHeader *h) { (void)i; (void)h; SESSION_CALL(s); return XR_SUCCESS; }
static XrResult XRAPI_CALL f_xrStopHapticFeedback(XrSession s, const XrHapticActionInfo *i) { (void)i; SESSION_CALL(s); return XR_SUCCESS; }

/* ---------------------------------------------------------------- session, frames */

static XrResult XRAPI_CALL f_xrCreateSession(XrInstance i, const XrSessionCreateInfo *info, XrSession *session) {
  (void)i;
  if (g.instance_lost) return XR_ERROR_INSTANCE_LOST;
  if (g.session_alive) return XR_ERROR_LIMIT_REACHED;
  if (info->systemId != 42) return XR_ERROR_SYSTEM_INVALID;
  if (info->next != NULL) return XR_ERROR_GRAPHICS_DEVICE_INVALID; /* headless only */
  if (!strstr(g.enabled_ext, "XR_MND_headless")) return XR_ERROR_GRAPHICS_DEVICE_INVALID;
  g.session_alive = 1;
  g.sessions_created++;
  g.session_handle = (XrSession)(uintptr_t)(0x10000 * (g.instance_index + 1) + 0x100 + g.sessions_created);
  g.session_lost = 0;
  g.loss_sent = 0;
  g.stop_requested = 0;
  g.attached = 0;
  g.state = XR_SESSION_STATE_UNKNOWN;
  set_state(XR_SESSION_STATE_IDLE);
  set_state(XR_SESSION_STATE_READY);
  *session = g.session_handle;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrDestroySession(XrSession s) {
  if (!g.session_alive || s != g.session_handle) { failure("xrDestroySession on a destroyed session"); return XR_ERROR_HANDLE_INVALID; }
  g.session_alive = 0;
  g.running = 0;
  g.attached = 0;
  /* its spaces and hand trackers go with it */
  for (int k = 0; k < g.nspaces; k++) g.spaces[k].alive = 0;
  for (int h = 0; h < NHANDS; h++) if (g.tracker_alive[h]) { g.tracker_alive[h] = 0; g.hand_trackers--; }
  g.body_tracker_alive = 0;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrBeginSession(XrSession s, const XrSessionBeginInfo *info) {
  (void)s;
  SESSION_CALL(s); (void)info;
  if (g.running) return XR_ERROR_SESSION_RUNNING;
  if (g.state != XR_SESSION_STATE_READY) return XR_ERROR_SESSION_NOT_READY;
  g.running = 1;
  g.t0 = now_ns();
  g.frames = 0;
  /* headless, as Monado: no compositor to wait for */
  set_state(XR_SESSION_STATE_SYNCHRONIZED);
  set_state(XR_SESSION_STATE_VISIBLE);
  set_state(XR_SESSION_STATE_FOCUSED);
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrEndSession(XrSession s) {
  (void)s;
  SESSION_CALL(s);
  if (!g.running) return XR_ERROR_SESSION_NOT_RUNNING;
  if (g.state != XR_SESSION_STATE_STOPPING) return XR_ERROR_SESSION_NOT_STOPPING;
  g.running = 0;
  set_state(XR_SESSION_STATE_IDLE);
  set_state(XR_SESSION_STATE_EXITING);
  return XR_SUCCESS;
}

static void begin_stopping(void) {
  if (g.state == XR_SESSION_STATE_FOCUSED) set_state(XR_SESSION_STATE_VISIBLE);
  if (g.state == XR_SESSION_STATE_VISIBLE) set_state(XR_SESSION_STATE_SYNCHRONIZED);
  set_state(XR_SESSION_STATE_STOPPING);
}

static XrResult XRAPI_CALL f_xrRequestExitSession(XrSession s) {
  (void)s;
  SESSION_CALL(s);
  if (!g.running) return XR_ERROR_SESSION_NOT_RUNNING;
  if (!g.stop_requested) { g.stop_requested = 1; begin_stopping(); }
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrWaitFrame(XrSession s, const XrFrameWaitInfo *info, XrFrameState *st) {
  (void)s;
  SESSION_CALL(s); (void)info;
  if (!g.running) return XR_ERROR_SESSION_NOT_RUNNING;
  g.frame_loop_calls++;
  /* Monado's headless xrWaitFrame: returns at once, no display time */
  st->predictedDisplayTime = 0;
  st->predictedDisplayPeriod = 0;
  st->shouldRender = XR_FALSE;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrBeginFrame(XrSession s, const XrFrameBeginInfo *info) {
  (void)s;
  SESSION_CALL(s); (void)info;
  if (!g.running) return XR_ERROR_SESSION_NOT_RUNNING;
  g.frame_loop_calls++;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrEndFrame(XrSession s, const XrFrameEndInfo *info) {
  (void)s;
  SESSION_CALL(s); (void)info;
  if (!g.running) return XR_ERROR_SESSION_NOT_RUNNING;
  g.frame_loop_calls++;
  return XR_SUCCESS;
}

/* ---------------------------------------------------------------- spaces */

static XrResult XRAPI_CALL f_xrEnumerateReferenceSpaces(XrSession s, uint32_t cap, uint32_t *count, XrReferenceSpaceType *out) {
  (void)s;
  SESSION_CALL(s);
  XrReferenceSpaceType all[3] = {XR_REFERENCE_SPACE_TYPE_VIEW, XR_REFERENCE_SPACE_TYPE_LOCAL, XR_REFERENCE_SPACE_TYPE_STAGE};
  uint32_t n = g.no_stage ? 2 : 3;
  *count = n;
  if (cap == 0) return XR_SUCCESS;
  if (cap < n) return XR_ERROR_SIZE_INSUFFICIENT;
  memcpy(out, all, n * sizeof all[0]);
  return XR_SUCCESS;
}

static XrResult new_space(Space sp, XrSpace *out) {
  if (g.nspaces >= MAX_SPACES) return XR_ERROR_LIMIT_REACHED;
  sp.alive = 1;
  g.spaces[g.nspaces] = sp;
  *out = (XrSpace)(uintptr_t)(0x4000 + g.nspaces++);
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrCreateReferenceSpace(XrSession s, const XrReferenceSpaceCreateInfo *info, XrSpace *space) {
  (void)s;
  SESSION_CALL(s);
  if (info->referenceSpaceType == XR_REFERENCE_SPACE_TYPE_STAGE && g.no_stage) return XR_ERROR_REFERENCE_SPACE_UNSUPPORTED;
  if (info->referenceSpaceType < 1 || info->referenceSpaceType > 3) return XR_ERROR_REFERENCE_SPACE_UNSUPPORTED;
  Space sp = {0};
  sp.kind = 0;
  sp.ref = info->referenceSpaceType;
  sp.offset = info->poseInReferenceSpace;
  return new_space(sp, space);
}

static XrResult XRAPI_CALL f_xrCreateActionSpace(XrSession s, const XrActionSpaceCreateInfo *info, XrSpace *space) {
  (void)s;
  SESSION_CALL(s);
  int k = action_index(info->action);
  if (k < 0 || k >= g.nactions) return XR_ERROR_HANDLE_INVALID;
  if (g.actions[k].type != XR_ACTION_TYPE_POSE_INPUT) return XR_ERROR_ACTION_TYPE_MISMATCH;
  Space sp = {0};
  sp.kind = 1;
  sp.action = k;
  sp.sub = info->subactionPath;
  sp.offset = info->poseInActionSpace;
  return new_space(sp, space);
}

static XrResult XRAPI_CALL f_xrDestroySpace(XrSpace space) {
  int k = (int)((uintptr_t)space - 0x4000);
  if (k < 0 || k >= g.nspaces) return XR_ERROR_HANDLE_INVALID;
  if (!g.spaces[k].alive) { failure("xrDestroySpace on a destroyed space"); return XR_ERROR_HANDLE_INVALID; }
  g.spaces[k].alive = 0;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrGetReferenceSpaceBoundsRect(XrSession s, XrReferenceSpaceType t, XrExtent2Df *b) {
  (void)s; (void)t;
  b->width = 3; b->height = 3;
  return XR_SUCCESS;
}

/* Pose of a space in STAGE at time t; 0 when it cannot be located. LOCAL coincides with STAGE here. */
static int stage_pose(int k, XrTime t, XrPosef *out) {
  Space *sp = &g.spaces[k];
  Snapshot snap;
  snapshot(frame_at(t), &snap);
  XrPosef base;
  if (sp->kind == 0) {
    if (sp->ref == XR_REFERENCE_SPACE_TYPE_VIEW) {
      if (!g.running) return 0;
      base = snap.head;
    } else {
      base = pidentity();
    }
  } else {
    if (!focused()) return 0;
    int hands[2];
    int n = hands_for(sp->sub, hands);
    if (n < 1) return 0;
    float x[2]; int kind;
    if (!resolve(sp->action, hands[0], &snap, x, &kind) || kind < 2) return 0;
    base = kind == 2 ? snap.grip[hands[0]] : snap.aim[hands[0]];
  }
  *out = pmul(base, sp->offset);
  return 1;
}

static XrResult XRAPI_CALL f_xrLocateSpace(XrSpace space, XrSpace baseSpace, XrTime time, XrSpaceLocation *loc) {
  int a = (int)((uintptr_t)space - 0x4000), b = (int)((uintptr_t)baseSpace - 0x4000);
  if (a < 0 || a >= g.nspaces || b < 0 || b >= g.nspaces) return XR_ERROR_HANDLE_INVALID;
  if (!g.spaces[a].alive || !g.spaces[b].alive) { failure("xrLocateSpace on a destroyed space"); return XR_ERROR_HANDLE_INVALID; }
  if (g.instance_lost) return XR_ERROR_INSTANCE_LOST;
  if (g.session_lost) return XR_ERROR_SESSION_LOST;
  if (!time_valid(time)) return XR_ERROR_TIME_INVALID;
  for (XrBaseOutStructure *n = (XrBaseOutStructure *)loc->next; n; n = n->next) {
    if (n->type == XR_TYPE_SPACE_VELOCITY) ((XrSpaceVelocity *)n)->velocityFlags = 0;
  }
  XrPosef pa, pb;
  if (!stage_pose(a, time, &pa) || !stage_pose(b, time, &pb)) {
    loc->locationFlags = 0;
    loc->pose = pidentity();
    return XR_SUCCESS;
  }
  loc->pose = pmul(pinv(pb), pa);
  loc->locationFlags = XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT |
                       XR_SPACE_LOCATION_POSITION_TRACKED_BIT | XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT;
  return XR_SUCCESS;
}

/* ---------------------------------------------------------------- hand tracking */

static XrResult XRAPI_CALL f_xrCreateHandTrackerEXT(XrSession s, const XrHandTrackerCreateInfoEXT *info, XrHandTrackerEXT *tracker) {
  (void)s;
  SESSION_CALL(s);
  if (g.no_hand_tracking) return XR_ERROR_FEATURE_UNSUPPORTED;
  if (!strstr(g.enabled_ext, "XR_EXT_hand_tracking")) return XR_ERROR_FUNCTION_UNSUPPORTED;
  if (info->handJointSet != XR_HAND_JOINT_SET_DEFAULT_EXT) return XR_ERROR_VALIDATION_FAILURE;
  if (info->hand != XR_HAND_LEFT_EXT && info->hand != XR_HAND_RIGHT_EXT) return XR_ERROR_VALIDATION_FAILURE;
  g.hand_trackers++;
  g.tracker_alive[info->hand == XR_HAND_LEFT_EXT ? HAND_LEFT : HAND_RIGHT] = 1;
  *tracker = (XrHandTrackerEXT)(uintptr_t)(0x5000 + (info->hand == XR_HAND_LEFT_EXT ? HAND_LEFT : HAND_RIGHT));
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrDestroyHandTrackerEXT(XrHandTrackerEXT t) {
  int hand = (int)((uintptr_t)t - 0x5000);
  if (hand < 0 || hand >= NHANDS || !g.tracker_alive[hand]) { failure("xrDestroyHandTrackerEXT on a destroyed tracker"); return XR_ERROR_HANDLE_INVALID; }
  g.tracker_alive[hand] = 0;
  g.hand_trackers--;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrLocateHandJointsEXT(XrHandTrackerEXT tracker, const XrHandJointsLocateInfoEXT *info, XrHandJointLocationsEXT *out) {
  int hand = (int)((uintptr_t)tracker - 0x5000);
  if (hand < 0 || hand >= NHANDS) return XR_ERROR_HANDLE_INVALID;
  if (!g.tracker_alive[hand]) { failure("xrLocateHandJointsEXT on a destroyed tracker"); return XR_ERROR_HANDLE_INVALID; }
  if (g.instance_lost) return XR_ERROR_INSTANCE_LOST;
  if (g.session_lost) return XR_ERROR_SESSION_LOST;
  if (out->jointCount != NJOINTS) return XR_ERROR_VALIDATION_FAILURE;
  if (!time_valid(info->time)) return XR_ERROR_TIME_INVALID;
  int b = (int)((uintptr_t)info->baseSpace - 0x4000);
  if (b < 0 || b >= g.nspaces) return XR_ERROR_HANDLE_INVALID;
  g.hand_locates++;
  Snapshot snap;
  snapshot(frame_at(info->time), &snap);
  XrPosef base;
  out->isActive = focused() && snap.hand_active[hand] && snap.njoint_set[hand] > 0 && stage_pose(b, info->time, &base);
  for (XrBaseOutStructure *n = (XrBaseOutStructure *)out->next; n; n = n->next) {
    if (n->type == XR_TYPE_HAND_JOINT_VELOCITIES_EXT) {
      XrHandJointVelocitiesEXT *v = (XrHandJointVelocitiesEXT *)n;
      for (uint32_t j = 0; j < v->jointCount; j++) v->jointVelocities[j].velocityFlags = 0;
    }
  }
  for (int j = 0; j < NJOINTS; j++) {
    XrHandJointLocationEXT *l = &out->jointLocations[j];
    if (!out->isActive) { l->locationFlags = 0; l->pose = pidentity(); l->radius = 0; continue; }
    l->pose = pmul(pinv(base), snap.joints[hand][j]);
    l->radius = snap.radius[hand][j];
    l->locationFlags = XR_SPACE_LOCATION_POSITION_VALID_BIT | XR_SPACE_LOCATION_ORIENTATION_VALID_BIT |
                       XR_SPACE_LOCATION_POSITION_TRACKED_BIT | XR_SPACE_LOCATION_ORIENTATION_TRACKED_BIT;
  }
  return XR_SUCCESS;
}

/* ---------------------------------------------------------------- body tracking */

#define BODY_TRACKER ((BodyTracker)(uintptr_t)0x6000)

static XrResult create_body_tracker(XrSession s, const char *ext, XrStructureType type, const BodyTrackerCreateInfo *info,
    char family, int joints, BodyTracker *out) {
  SESSION_CALL(s);
  if (!extension_enabled(ext)) return XR_ERROR_FUNCTION_UNSUPPORTED;
  if (info->type != type) return XR_ERROR_VALIDATION_FAILURE;
  if (joints <= 0) return XR_ERROR_VALIDATION_FAILURE;
  if (g.body_unsupported || g.body_create_fails) return XR_ERROR_FEATURE_UNSUPPORTED;
  if (g.body_tracker_alive) return XR_ERROR_LIMIT_REACHED;
  g.body_tracker_alive = 1;
  g.body_trackers_created++;
  g.body_family = family;
  g.body_joint_count = joints;
  *out = BODY_TRACKER;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrCreateBodyTrackerFB(XrSession s, const BodyTrackerCreateInfo *info, BodyTracker *out) {
  int joints = info->jointSet == 0 ? 70
      : info->jointSet == BODY_JOINT_SET_FULL_BODY_META && extension_enabled("XR_META_body_tracking_full_body") ? 84 : 0;
  return create_body_tracker(s, "XR_FB_body_tracking", TYPE_BODY_TRACKER_CREATE_INFO_FB, info, 'F', joints, out);
}
static XrResult XRAPI_CALL f_xrCreateBodyTrackerHTC(XrSession s, const BodyTrackerCreateInfo *info, BodyTracker *out) {
  return create_body_tracker(s, "XR_HTC_body_tracking", TYPE_BODY_TRACKER_CREATE_INFO_HTC, info, 'H', info->jointSet == 0 ? 26 : 0, out);
}
static XrResult XRAPI_CALL f_xrCreateBodyTrackerBD(XrSession s, const BodyTrackerCreateInfo *info, BodyTracker *out) {
  /* XR_BODY_JOINT_SET_FULL_BODY_JOINTS_BD = 2 (24 joints); the armless set is not scripted */
  return create_body_tracker(s, "XR_BD_body_tracking", TYPE_BODY_TRACKER_CREATE_INFO_BD, info, 'B', info->jointSet == 2 ? 24 : 0, out);
}

static XrResult destroy_body_tracker(BodyTracker t, char family, const char *fn) {
  if (t != BODY_TRACKER || !g.body_tracker_alive || g.body_family != family) { failure("%s on a destroyed tracker", fn); return XR_ERROR_HANDLE_INVALID; }
  g.body_tracker_alive = 0;
  g.body_trackers_destroyed++; /* by the client: xrDestroySession only drops it */
  return XR_SUCCESS;
}
static XrResult XRAPI_CALL f_xrDestroyBodyTrackerFB(BodyTracker t) { return destroy_body_tracker(t, 'F', "xrDestroyBodyTrackerFB"); }
static XrResult XRAPI_CALL f_xrDestroyBodyTrackerHTC(BodyTracker t) { return destroy_body_tracker(t, 'H', "xrDestroyBodyTrackerHTC"); }
static XrResult XRAPI_CALL f_xrDestroyBodyTrackerBD(BodyTracker t) { return destroy_body_tracker(t, 'B', "xrDestroyBodyTrackerBD"); }

/* Fills out[0..count) from the script; returns whether the body is tracked at all (active, base located). */
static XrResult locate_body(BodyTracker t, char family, const char *fn, XrStructureType type, const BodyJointsLocateInfo *info,
    uint32_t count, BodyJointLocation *out, Snapshot *snap, int *active) {
  if (t != BODY_TRACKER || !g.body_tracker_alive || g.body_family != family) { failure("%s on a destroyed tracker", fn); return XR_ERROR_HANDLE_INVALID; }
  if (g.instance_lost) return XR_ERROR_INSTANCE_LOST;
  if (g.session_lost) return XR_ERROR_SESSION_LOST;
  if (info->type != type || count != (uint32_t)g.body_joint_count || !out) return XR_ERROR_VALIDATION_FAILURE;
  if (!time_valid(info->time)) return XR_ERROR_TIME_INVALID;
  int b = (int)((uintptr_t)info->baseSpace - 0x4000);
  if (b < 0 || b >= g.nspaces || !g.spaces[b].alive) return XR_ERROR_HANDLE_INVALID;
  g.body_locates++;
  snapshot(frame_at(info->time), snap);
  XrPosef base;
  *active = focused() && snap->body_active && stage_pose(b, info->time, &base);
  for (uint32_t j = 0; j < count; j++) {
    BodyJointLocation *l = &out[j];
    l->locationFlags = *active ? snap->body_flags[j] : 0;
    l->pose = l->locationFlags ? pmul(pinv(base), snap->body[j]) : pidentity();
  }
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrLocateBodyJointsFB(BodyTracker t, const BodyJointsLocateInfo *info, BodyJointLocationsFB *out) {
  Snapshot snap;
  int active;
  if (out->type != TYPE_BODY_JOINT_LOCATIONS_FB) return XR_ERROR_VALIDATION_FAILURE;
  XrResult r = locate_body(t, 'F', "xrLocateBodyJointsFB", TYPE_BODY_JOINTS_LOCATE_INFO_FB, info, out->jointCount, out->jointLocations, &snap, &active);
  if (r != XR_SUCCESS) return r;
  out->isActive = active ? XR_TRUE : XR_FALSE;
  out->confidence = active ? snap.body_confidence : 0;
  out->skeletonChangedCount = 0;
  out->time = info->time;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrLocateBodyJointsHTC(BodyTracker t, const BodyJointsLocateInfo *info, BodyJointLocationsHTC *out) {
  Snapshot snap;
  int active;
  if (out->type != TYPE_BODY_JOINT_LOCATIONS_HTC) return XR_ERROR_VALIDATION_FAILURE;
  XrResult r = locate_body(t, 'H', "xrLocateBodyJointsHTC", TYPE_BODY_JOINTS_LOCATE_INFO_HTC, info, out->jointLocationCount, out->jointLocations, &snap, &active);
  if (r != XR_SUCCESS) return r;
  XrSpaceLocationFlags all = active ? ~(XrSpaceLocationFlags)0 : 0;
  for (uint32_t j = 0; j < out->jointLocationCount; j++) all &= out->jointLocations[j].locationFlags;
  out->combinedLocationFlags = all;
  out->confidenceLevel = !active ? 0 : snap.body_confidence >= 0.75f ? 2 : snap.body_confidence > 0 ? 1 : 0;
  out->skeletonGenerationId = 1;
  return XR_SUCCESS;
}

static XrResult XRAPI_CALL f_xrLocateBodyJointsBD(BodyTracker t, const BodyJointsLocateInfo *info, BodyJointLocationsBD *out) {
  Snapshot snap;
  int active;
  if (out->type != TYPE_BODY_JOINT_LOCATIONS_BD) return XR_ERROR_VALIDATION_FAILURE;
  XrResult r = locate_body(t, 'B', "xrLocateBodyJointsBD", TYPE_BODY_JOINTS_LOCATE_INFO_BD, info, out->jointLocationCount, out->jointLocations, &snap, &active);
  if (r != XR_SUCCESS) return r;
  int all = active;
  for (uint32_t j = 0; j < out->jointLocationCount; j++) {
    if ((out->jointLocations[j].locationFlags & XR_SPACE_LOCATION_POSITION_TRACKED_BIT) == 0) all = 0;
  }
  out->allJointPosesTracked = all ? XR_TRUE : XR_FALSE;
  return XR_SUCCESS;
}

/* ---------------------------------------------------------------- dispatch */

static XrResult XRAPI_CALL f_xrGetInstanceProcAddr(XrInstance instance, const char *name, PFN_xrVoidFunction *fn);

#define FN(n) {#n, (PFN_xrVoidFunction)f_##n}
static const struct { const char *name; PFN_xrVoidFunction fn; } TABLE[] = {
  FN(xrGetInstanceProcAddr), FN(xrEnumerateInstanceExtensionProperties), FN(xrEnumerateApiLayerProperties),
  FN(xrCreateInstance), FN(xrDestroyInstance), FN(xrGetInstanceProperties), FN(xrPollEvent),
  FN(xrResultToString), FN(xrStructureTypeToString), FN(xrGetSystem), FN(xrGetSystemProperties),
  FN(xrEnumerateViewConfigurations), FN(xrEnumerateEnvironmentBlendModes), FN(xrStringToPath), FN(xrPathToString),
  FN(xrConvertTimespecTimeToTimeKHR), FN(xrConvertTimeToTimespecTimeKHR),
  FN(xrCreateActionSet), FN(xrDestroyActionSet), FN(xrCreateAction), FN(xrDestroyAction),
  FN(xrSuggestInteractionProfileBindings), FN(xrAttachSessionActionSets), FN(xrGetCurrentInteractionProfile),
  FN(xrSyncActions), FN(xrGetActionStateBoolean), FN(xrGetActionStateFloat), FN(xrGetActionStateVector2f),
  FN(xrGetActionStatePose), FN(xrEnumerateBoundSourcesForAction), FN(xrApplyHapticFeedback), FN(xrStopHapticFeedback),
  FN(xrCreateSession), FN(xrDestroySession), FN(xrBeginSession), FN(xrEndSession), FN(xrRequestExitSession),
  FN(xrWaitFrame), FN(xrBeginFrame), FN(xrEndFrame),
  FN(xrEnumerateReferenceSpaces), FN(xrCreateReferenceSpace), FN(xrCreateActionSpace), FN(xrDestroySpace),
  FN(xrGetReferenceSpaceBoundsRect), FN(xrLocateSpace),
  FN(xrCreateHandTrackerEXT), FN(xrDestroyHandTrackerEXT), FN(xrLocateHandJointsEXT),
  FN(xrCreateBodyTrackerFB), FN(xrDestroyBodyTrackerFB), FN(xrLocateBodyJointsFB),
  FN(xrCreateBodyTrackerHTC), FN(xrDestroyBodyTrackerHTC), FN(xrLocateBodyJointsHTC),
  FN(xrCreateBodyTrackerBD), FN(xrDestroyBodyTrackerBD), FN(xrLocateBodyJointsBD),
};

static XrResult XRAPI_CALL f_xrGetInstanceProcAddr(XrInstance instance, const char *name, PFN_xrVoidFunction *fn) {
  (void)instance;
  for (size_t i = 0; i < sizeof TABLE / sizeof TABLE[0]; i++) {
    if (strcmp(TABLE[i].name, name) == 0) { *fn = TABLE[i].fn; return XR_SUCCESS; }
  }
  *fn = NULL;
  return XR_ERROR_FUNCTION_UNSUPPORTED;
}

EXPORT XrResult XRAPI_CALL xrNegotiateLoaderRuntimeInterface(const XrNegotiateLoaderInfo *loaderInfo, XrNegotiateRuntimeRequest *req) {
  if (!loaderInfo || !req || loaderInfo->structType != XR_LOADER_INTERFACE_STRUCT_LOADER_INFO ||
      req->structType != XR_LOADER_INTERFACE_STRUCT_RUNTIME_REQUEST) return XR_ERROR_INITIALIZATION_FAILED;
  if (loaderInfo->minInterfaceVersion > 1 || loaderInfo->maxInterfaceVersion < 1) return XR_ERROR_INITIALIZATION_FAILED;
  if (XR_VERSION_MAJOR(loaderInfo->minApiVersion) > 1 || XR_VERSION_MAJOR(loaderInfo->maxApiVersion) < 1) return XR_ERROR_INITIALIZATION_FAILED;
  req->runtimeInterfaceVersion = 1;
  req->runtimeApiVersion = XR_CURRENT_API_VERSION;
  req->getInstanceProcAddr = f_xrGetInstanceProcAddr;
  return XR_SUCCESS;
}
