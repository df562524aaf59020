package dev.conntrace.sockets.process;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CgroupInfoTest {
    private static final String ID = "3f9a0c1b2d4e5f60718293a4b5c6d7e8f9012345678901234567890abcdef012";

    @ParameterizedTest
    @CsvSource({
        "0::/system.slice/docker-" + ID + ".scope, docker",
        "0::/docker/" + ID + ", docker",
        "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/cri-containerd-" + ID
                + ".scope, containerd",
        "0::/kubepods.slice/kubepods-burstable.slice/crio-" + ID + ".scope, cri-o",
        "0::/user.slice/user-1000.slice/user@1000.service/user.slice/libpod-" + ID + ".scope/container, podman",
        "0::/system.slice/containerd.service/kubepods-besteffort-pod7.slice:cri-containerd:" + ID + ", containerd",
        "0::/kubepods/besteffort/pod0b6a/" + ID + ", unknown",
    })
    void containerIdAndRuntime(String line, String runtime) {
        CgroupInfo c = CgroupInfo.parse(line + "\n");
        assertThat(c.containerId()).isEqualTo(ID);
        assertThat(c.runtime()).isEqualTo(runtime);
    }

    @Test
    void conmonAndShortIdsAreNotContainers() {
        assertThat(CgroupInfo.parse("0::/machine.slice/libpod-conmon-" + ID + ".scope\n").containerId()).isNull();
        assertThat(CgroupInfo.parse("0::/docker/" + ID.substring(1) + "\n").containerId()).isNull();
        assertThat(CgroupInfo.parse("0::/docker/" + ID.toUpperCase() + "\n").containerId()).isNull();
    }

    @Test
    void unitIsDeepestService() {
        CgroupInfo c = CgroupInfo.parse("0::/user.slice/user-1000.slice/user@1000.service/app.slice/pipewire.service\n");
        assertThat(c.unit()).isEqualTo("pipewire.service");
        assertThat(c.containerId()).isNull();
        assertThat(CgroupInfo.parse("0::/system.slice/nginx.service\n").unit()).isEqualTo("nginx.service");
        assertThat(CgroupInfo.parse("0::/init.scope\n").unit()).isNull();
    }

    @Test
    void cgroupV1UsesSystemdHierarchyForUnit() {
        String text = """
                12:pids:/system.slice/sshd.service
                4:memory:/system.slice/docker-%s.scope
                1:name=systemd:/system.slice/docker-%s.scope
                0::/
                """.formatted(ID, ID);
        CgroupInfo c = CgroupInfo.parse(text);
        assertThat(c.containerId()).isEqualTo(ID);
        assertThat(c.path()).isEqualTo("/system.slice/docker-" + ID + ".scope");
        assertThat(c.unit()).isNull();
    }

    @Test
    void garbageGivesNone() {
        assertThat(CgroupInfo.parse("")).isEqualTo(CgroupInfo.NONE);
        assertThat(CgroupInfo.parse("nonsense\n")).isEqualTo(CgroupInfo.NONE);
    }
}
