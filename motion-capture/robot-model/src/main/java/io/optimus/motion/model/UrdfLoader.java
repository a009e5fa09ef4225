package io.optimus.motion.model;

import io.optimus.common.InputFiles;
import io.optimus.motion.geometry.Pose3;
import io.optimus.motion.geometry.Quat;
import io.optimus.motion.geometry.Vec3;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads URDF (http://wiki.ros.org/urdf/XML) into a {@link RobotModel}. Supports revolute,
 * continuous, prismatic and fixed joints, a floating joint attaching the root to a world link,
 * mimic joints, inertials, collision/visual primitives (box, sphere, cylinder, the common
 * {@code <capsule radius length>} extension) and mesh references, which are kept as names only.
 * Elements it does not use (materials, transmissions, gazebo, mujoco) are ignored. Anything
 * malformed throws {@link UrdfException} naming the source and the element.
 */
public final class UrdfLoader {
  private static final Logger LOG = LoggerFactory.getLogger(UrdfLoader.class);

  private UrdfLoader() {}

  /** Largest URDF read: the shipped humanoid is about 100 KiB; meshes live in other files. */
  public static final long MAX_FILE_BYTES = 64L << 20;
  /** Deepest XML element nesting accepted (a URDF needs about 5). */
  public static final int MAX_XML_DEPTH = 100;

  /** Loads a URDF file; files over {@link #MAX_FILE_BYTES} and anything but a regular file are refused. */
  public static RobotModel load(Path file) {
    String text;
    try {
      text = new String(InputFiles.read(file, MAX_FILE_BYTES, "URDF files"), StandardCharsets.UTF_8);
    } catch (InputFiles.Unreadable e) {
      throw new UrdfException(e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** Parses URDF text; {@code source} names it in error messages. */
  public static RobotModel parse(String urdf, String source) {
    return new Reader(source).read(urdf);
  }

  private static final class Reader {
    private final String source;

    Reader(String source) {
      this.source = source;
    }

    private UrdfException error(String where, String what) {
      return new UrdfException(source + ": " + where + ": " + what);
    }

    RobotModel read(String text) {
      Element robot = parseXml(text);
      if (!robot.getTagName().equals("robot")) {
        throw error("<" + robot.getTagName() + ">", "the root element must be <robot>");
      }
      String robotName = robot.getAttribute("name");
      Map<String, Link> links = new LinkedHashMap<>();
      List<Element> jointElements = new ArrayList<>();
      for (Element e : children(robot)) {
        if (e.getTagName().equals("link")) {
          Link l = readLink(e);
          if (links.put(l.name(), l) != null) {
            throw error("<link name=\"" + l.name() + "\">", "duplicate link name");
          }
        } else if (e.getTagName().equals("joint")) {
          jointElements.add(e);
        }
      }
      if (links.isEmpty()) {
        throw error("<robot name=\"" + robotName + "\">", "no <link> elements");
      }
      // Raw joints first; mimic and tree order need them all.
      Map<String, RawJoint> raw = new LinkedHashMap<>();
      RawJoint floating = null;
      for (Element e : jointElements) {
        RawJoint j = readJoint(e, links);
        if (raw.containsKey(j.name)) {
          throw error(j.where(), "duplicate joint name");
        }
        if (j.floating) {
          if (floating != null) {
            throw error(j.where(), "a second floating joint (the first is \"" + floating.name + "\")");
          }
          floating = j;
          continue;
        }
        raw.put(j.name, j);
      }
      Map<String, RawJoint> parentJointOf = new HashMap<>();
      Map<String, List<RawJoint>> childrenOf = new HashMap<>();
      for (RawJoint j : raw.values()) {
        RawJoint other = parentJointOf.put(j.child, j);
        if (other != null) {
          throw error(j.where(), "link \"" + j.child + "\" already has parent joint \"" + other.name + "\"");
        }
        childrenOf.computeIfAbsent(j.parent, k -> new ArrayList<>()).add(j);
      }
      String rootName;
      if (floating != null) {
        // <link world/> --floating--> base: the base becomes the root, the world link goes away.
        if (parentJointOf.containsKey(floating.child)) {
          throw error(floating.where(), "its child \"" + floating.child + "\" also has parent joint \""
              + parentJointOf.get(floating.child).name + "\"");
        }
        if (parentJointOf.containsKey(floating.parent) || childrenOf.containsKey(floating.parent)) {
          throw error(floating.where(), "a floating joint must attach the root link to a world link with nothing else on it");
        }
        links.remove(floating.parent);
        rootName = floating.child;
      } else {
        List<String> roots = new ArrayList<>();
        for (String l : links.keySet()) {
          if (!parentJointOf.containsKey(l)) {
            roots.add(l);
          }
        }
        if (roots.isEmpty()) {
          throw error("<robot name=\"" + robotName + "\">", "no root link: the joints form a cycle");
        }
        if (roots.size() > 1) {
          throw error("<robot name=\"" + robotName + "\">", "two roots: links " + roots.subList(0, 2)
              + (roots.size() > 2 ? " and " + (roots.size() - 2) + " more" : "")
              + " have no parent joint (the tree must be connected)");
        }
        rootName = roots.get(0);
      }
      // Depth-first order from the root, children in document order.
      List<Link> orderedLinks = new ArrayList<>();
      List<RawJoint> orderedJoints = new ArrayList<>();
      Set<String> seen = new HashSet<>();
      Deque<String> stack = new ArrayDeque<>();
      stack.push(rootName);
      while (!stack.isEmpty()) {
        String l = stack.pop();
        if (!seen.add(l)) {
          throw error("<link name=\"" + l + "\">", "reached twice: the joints form a cycle");
        }
        orderedLinks.add(links.get(l));
        if (parentJointOf.containsKey(l) && !l.equals(rootName)) {
          orderedJoints.add(parentJointOf.get(l));
        }
        List<RawJoint> kids = childrenOf.getOrDefault(l, List.of());
        for (int i = kids.size() - 1; i >= 0; i--) {
          stack.push(kids.get(i).child);
        }
      }
      if (orderedLinks.size() != links.size()) {
        for (String l : links.keySet()) {
          if (!seen.contains(l)) {
            RawJoint pj = parentJointOf.get(l);
            throw error(pj != null ? pj.where() : "<link name=\"" + l + "\">",
                "link \"" + l + "\" is not connected to the root \"" + rootName + "\" (a cycle)");
          }
        }
      }
      if (parentJointOf.containsKey(rootName)) {
        throw error(parentJointOf.get(rootName).where(), "the joints form a cycle through the root");
      }
      // q indices, then mimic resolution to independent sources.
      Map<String, Integer> qIndex = new HashMap<>();
      for (RawJoint j : orderedJoints) {
        if (j.type.moves()) {
          qIndex.put(j.name, qIndex.size());
        }
      }
      List<Joint> joints = new ArrayList<>();
      for (RawJoint j : orderedJoints) {
        Mimic mimic = resolveMimic(j, raw);
        joints.add(new Joint(j.name, j.type, j.parent, j.child, j.origin, j.axis, j.limits, mimic,
            JointGroups.of(j.name), j.type.moves() ? qIndex.get(j.name) : -1));
      }
      return new RobotModel(robotName.isEmpty() ? "robot" : robotName, orderedLinks, joints, floating != null, text);
    }

    private Mimic resolveMimic(RawJoint j, Map<String, RawJoint> raw) {
      if (j.mimic == null) {
        return null;
      }
      if (!j.type.moves()) {
        throw error(j.where(), "a fixed joint cannot mimic another");
      }
      double mult = j.mimic.multiplier(), off = j.mimic.offset();
      String src = j.mimic.joint();
      Set<String> chain = new HashSet<>(List.of(j.name));
      while (true) {
        RawJoint s = raw.get(src);
        if (s == null) {
          throw error(j.where() + " <mimic joint=\"" + j.mimic.joint() + "\">", "no such joint");
        }
        if (!s.type.moves()) {
          throw error(j.where() + " <mimic joint=\"" + j.mimic.joint() + "\">", "mimics a fixed joint");
        }
        if (!chain.add(src)) {
          throw error(j.where() + " <mimic joint=\"" + j.mimic.joint() + "\">", "mimic joints form a cycle");
        }
        if (s.mimic == null) {
          return new Mimic(src, mult, off);
        }
        // q = m1 (m2 q_s + o2) + o1
        off = mult * s.mimic.offset() + off;
        mult = mult * s.mimic.multiplier();
        src = s.mimic.joint();
      }
    }

    private Element parseXml(String text) {
      try {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setXIncludeAware(false);
        f.setExpandEntityReferences(false);
        try { // the JDK's parser bounds nesting itself (an element needs no stack per level, but later walks might)
          f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", Integer.toString(MAX_XML_DEPTH));
        } catch (IllegalArgumentException otherParser) {
          // another JAXP implementation on the class path: it keeps its own limits
        }
        DocumentBuilder b = f.newDocumentBuilder();
        b.setErrorHandler(null);
        Document d = b.parse(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
        return d.getDocumentElement();
      } catch (SAXParseException e) {
        if (String.valueOf(e.getMessage()).contains("maxElementDepth")) {
          throw new UrdfException(source + ": line " + e.getLineNumber() + ": XML elements nested deeper than "
              + MAX_XML_DEPTH + " levels");
        }
        throw new UrdfException(source + ": line " + e.getLineNumber() + ": not well-formed XML: " + e.getMessage(), e);
      } catch (SAXException | IOException e) {
        throw new UrdfException(source + ": not well-formed XML: " + e.getMessage(), e);
      } catch (ParserConfigurationException e) {
        throw new IllegalStateException(e);
      }
    }

    private Link readLink(Element e) {
      String name = e.getAttribute("name");
      if (name.isEmpty()) {
        throw error("<link>", "missing attribute name");
      }
      String where = "<link name=\"" + name + "\">";
      Inertial inertial = Inertial.NONE;
      List<Shape> visuals = new ArrayList<>();
      List<Shape> collisions = new ArrayList<>();
      for (Element c : children(e)) {
        switch (c.getTagName()) {
          case "inertial" -> inertial = readInertial(c, where + " <inertial>");
          case "visual" -> {
            Shape s = readShape(c, where + " <visual>");
            if (s != null) {
              visuals.add(s);
            }
          }
          case "collision" -> {
            Shape s = readShape(c, where + " <collision>");
            if (s != null) {
              collisions.add(s);
            }
          }
          default -> { }
        }
      }
      return new Link(name, inertial, visuals, collisions);
    }

    private Inertial readInertial(Element e, String where) {
      Pose3 origin = readOrigin(e, where);
      Element mass = child(e, "mass");
      double m = mass == null ? 0 : number(mass, "value", where + " <mass>", null);
      if (m < 0) {
        throw error(where + " <mass>", "negative mass " + m);
      }
      Element in = child(e, "inertia");
      if (in == null) {
        return new Inertial(m, origin, 0, 0, 0, 0, 0, 0);
      }
      String w = where + " <inertia>";
      return new Inertial(m, origin, number(in, "ixx", w, 0.0), number(in, "ixy", w, 0.0), number(in, "ixz", w, 0.0),
          number(in, "iyy", w, 0.0), number(in, "iyz", w, 0.0), number(in, "izz", w, 0.0));
    }

    private Shape readShape(Element e, String where) {
      Pose3 origin = readOrigin(e, where);
      Element g = child(e, "geometry");
      if (g == null) {
        throw error(where, "missing <geometry>");
      }
      List<Element> kinds = children(g);
      if (kinds.isEmpty()) {
        throw error(where + " <geometry>", "empty: expected box, sphere, cylinder, capsule or mesh");
      }
      Element k = kinds.get(0);
      String w = where + " <" + k.getTagName() + ">";
      Geometry geometry = switch (k.getTagName()) {
        case "box" -> new Geometry.Box(vector(k, "size", w, null));
        case "sphere" -> new Geometry.Sphere(positive(k, "radius", w));
        case "cylinder" -> new Geometry.Cylinder(positive(k, "radius", w), positive(k, "length", w));
        case "capsule" -> new Geometry.Capsule(positive(k, "radius", w), positive(k, "length", w));
        case "mesh" -> {
          String file = k.getAttribute("filename");
          if (file.isEmpty()) {
            throw error(w, "missing attribute filename");
          }
          yield new Geometry.Mesh(file, vector(k, "scale", w, new Vec3(1, 1, 1)));
        }
        default -> throw error(w, "unknown geometry '" + k.getTagName() + "' (expected box, sphere, cylinder, capsule or mesh)");
      };
      return new Shape(e.getAttribute("name"), origin, geometry);
    }

    private RawJoint readJoint(Element e, Map<String, Link> links) {
      RawJoint j = new RawJoint();
      j.name = e.getAttribute("name");
      if (j.name.isEmpty()) {
        throw error("<joint>", "missing attribute name");
      }
      String where = j.where();
      String type = e.getAttribute("type");
      if (type.isEmpty()) {
        throw error(where, "missing attribute type");
      }
      j.floating = type.equals("floating");
      if (!j.floating) {
        j.type = switch (type) {
          case "revolute" -> JointType.REVOLUTE;
          case "continuous" -> JointType.CONTINUOUS;
          case "prismatic" -> JointType.PRISMATIC;
          case "fixed" -> JointType.FIXED;
          case "planar" -> throw error(where, "joint type 'planar' is not supported");
          default -> throw error(where, "unknown joint type '" + type
              + "' (expected revolute, continuous, prismatic, fixed or floating)");
        };
      }
      j.parent = linkRef(e, "parent", where);
      j.child = linkRef(e, "child", where);
      if (!links.containsKey(j.parent)) {
        throw error(where + " <parent link=\"" + j.parent + "\">", "missing link: no <link name=\"" + j.parent + "\">");
      }
      if (!links.containsKey(j.child)) {
        throw error(where + " <child link=\"" + j.child + "\">", "missing link: no <link name=\"" + j.child + "\">");
      }
      if (j.parent.equals(j.child)) {
        throw error(where, "parent and child are the same link \"" + j.parent + "\" (a cycle)");
      }
      j.origin = readOrigin(e, where);
      if (j.floating) {
        return j;
      }
      Element axis = child(e, "axis");
      Vec3 a = axis == null ? Vec3.UNIT_X : vector(axis, "xyz", where + " <axis>", Vec3.UNIT_X);
      if (j.type.moves() && a.norm() < 1e-9) {
        throw error(where + " <axis>", "zero axis");
      }
      j.axis = j.type.moves() ? a.normalized() : a;
      j.limits = readLimits(e, j, where);
      Element mimic = child(e, "mimic");
      if (mimic != null) {
        String src = mimic.getAttribute("joint");
        if (src.isEmpty()) {
          throw error(where + " <mimic>", "missing attribute joint");
        }
        j.mimic = new Mimic(src, number(mimic, "multiplier", where + " <mimic>", 1.0),
            number(mimic, "offset", where + " <mimic>", 0.0));
      }
      return j;
    }

    private JointLimits readLimits(Element e, RawJoint j, String where) {
      if (j.type == JointType.FIXED) {
        return JointLimits.NONE;
      }
      Element l = child(e, "limit");
      String w = where + " <limit>";
      if (l == null) {
        if (j.type == JointType.CONTINUOUS) {
          return new JointLimits(false, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, defaultVelocity(j), Double.POSITIVE_INFINITY);
        }
        throw error(where, "missing <limit> (required for " + j.type.urdfName() + " joints)");
      }
      double velocity = number(l, "velocity", w, 0.0);
      double effort = number(l, "effort", w, 0.0);
      if (velocity < 0 || effort < 0) {
        throw error(w, "negative velocity or effort");
      }
      if (velocity == 0) {
        velocity = defaultVelocity(j);
      }
      if (effort == 0) {
        effort = Double.POSITIVE_INFINITY;
      }
      if (j.type == JointType.CONTINUOUS) {
        return new JointLimits(false, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, velocity, effort);
      }
      double lower = number(l, "lower", w, 0.0);
      double upper = number(l, "upper", w, 0.0);
      if (lower > upper) {
        throw error(w, "lower " + lower + " is above upper " + upper);
      }
      return new JointLimits(true, lower, upper, velocity, effort);
    }

    private double defaultVelocity(RawJoint j) {
      // URDF velocity 0 or absent means "unknown"; a conservative figure keeps the IK moving.
      LOG.warn("{}: {} has no velocity limit; using {}", source, j.where(), j.type == JointType.PRISMATIC ? "1 m/s" : "3 rad/s");
      return j.type == JointType.PRISMATIC ? 1.0 : 3.0;
    }

    private String linkRef(Element e, String tag, String where) {
      Element c = child(e, tag);
      if (c == null) {
        throw error(where, "missing <" + tag + ">");
      }
      String link = c.getAttribute("link");
      if (link.isEmpty()) {
        throw error(where + " <" + tag + ">", "missing attribute link");
      }
      return link;
    }

    private Pose3 readOrigin(Element e, String where) {
      Element o = child(e, "origin");
      if (o == null) {
        return Pose3.IDENTITY;
      }
      Vec3 xyz = vector(o, "xyz", where + " <origin>", Vec3.ZERO);
      Vec3 rpy = vector(o, "rpy", where + " <origin>", Vec3.ZERO);
      return new Pose3(xyz, Quat.fromRpy(rpy.x(), rpy.y(), rpy.z()));
    }

    private Vec3 vector(Element e, String attr, String where, Vec3 dflt) {
      String v = e.getAttribute(attr).trim();
      if (v.isEmpty()) {
        if (dflt == null) {
          throw error(where, "missing attribute " + attr);
        }
        return dflt;
      }
      String[] parts = v.split("\\s+");
      if (parts.length != 3) {
        throw error(where, attr + "=\"" + v + "\": expected 3 numbers");
      }
      double[] d = new double[3];
      for (int i = 0; i < 3; i++) {
        d[i] = parse(parts[i], attr, v, where);
      }
      return new Vec3(d[0], d[1], d[2]);
    }

    private double number(Element e, String attr, String where, Double dflt) {
      String v = e.getAttribute(attr).trim();
      if (v.isEmpty()) {
        if (dflt == null) {
          throw error(where, "missing attribute " + attr);
        }
        return dflt;
      }
      return parse(v, attr, v, where);
    }

    private double positive(Element e, String attr, String where) {
      double d = number(e, attr, where, null);
      if (!(d > 0)) {
        throw error(where, attr + "=\"" + e.getAttribute(attr) + "\": must be positive");
      }
      return d;
    }

    private double parse(String s, String attr, String whole, String where) {
      try {
        double d = Double.parseDouble(s);
        if (!Double.isFinite(d)) {
          throw new NumberFormatException();
        }
        return d;
      } catch (NumberFormatException ex) {
        throw error(where, attr + "=\"" + whole + "\": '" + s + "' is not a finite number");
      }
    }
  }

  private static final class RawJoint {
    String name;
    JointType type;
    boolean floating;
    String parent;
    String child;
    Pose3 origin;
    Vec3 axis;
    JointLimits limits;
    Mimic mimic;

    String where() {
      return "<joint name=\"" + name + "\">";
    }
  }

  static List<Element> children(Element e) {
    List<Element> out = new ArrayList<>();
    NodeList nl = e.getChildNodes();
    for (int i = 0; i < nl.getLength(); i++) {
      Node n = nl.item(i);
      if (n instanceof Element c) {
        out.add(c);
      }
    }
    return out;
  }

  static Element child(Element e, String tag) {
    for (Element c : children(e)) {
      if (c.getTagName().equals(tag)) {
        return c;
      }
    }
    return null;
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
